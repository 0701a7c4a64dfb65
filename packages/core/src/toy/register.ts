/**
 * Importing this module registers the toy plugins (see `@s2s/core/toy`) in the global
 * registry, once: what a worker thread imports to rebuild a toy model by name.
 * Import as `@s2s/core/toy/register`.
 *
 * @module
 */
import { registry } from '../registry/registry.js';
import { registerToyPlugins } from '../testing/toy-modules.js';

registerToyPlugins(registry);
