import { ConfigError } from '@s2s/core';

/** The default name of the decode queue. */
export const DEFAULT_QUEUE = 's2s-decode';

/**
 * Checks a `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS) address and
 * returns it as BullMQ connection options.
 */
export function queueConnection(url: string): { url: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`--queue ${JSON.stringify(url)}: expected redis://HOST:PORT`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError(
      `--queue ${JSON.stringify(url)}: expected a redis:// or rediss:// address, found ${parsed.protocol}//`,
    );
  }
  if (parsed.hostname === '') {
    throw new ConfigError(
      `--queue ${JSON.stringify(url)}: expected a host, as in redis://HOST:PORT`,
    );
  }
  return { url };
}
