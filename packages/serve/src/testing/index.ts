/**
 * Test helpers: a fake model, and a real `redis-server` on a free loopback port.
 *
 * @module
 */
export { FakeModel, reversed } from './fake-model.js';
export { startRedisServer, type TestRedis } from './redis-server.js';
