import type { BackendDefinition } from './backend-definition.interface.js';
import { couchDbBackend } from './couchdb/couchdb.backend.js';
import { disabledBackend } from './disabled/disabled.backend.js';
import { filesystemBackend } from './filesystem/filesystem.backend.js';
import { memcachedBackend } from './memcached/memcached.backend.js';
import { memoryBackend } from './memory/memory.backend.js';
import { postgresqlBackend } from './postgresql/postgresql.backend.js';
import { redisClusterBackend } from './redis/redis-cluster.backend.js';
import { redisBackend } from './redis/redis.backend.js';
import { sentinelBackend } from './redis/sentinel.backend.js';
import type { ResultStore } from './result-store.interface.js';
import { s3Backend } from './s3/s3.backend.js';
import type { StoreContext } from './store-context.interface.js';

/**
 * Every backend this library implements: the one list that URL parsing, descriptions, error
 * examples and store creation read. The first entry's example is the general example.
 * @internal
 */
export const BACKENDS = [
  redisBackend,
  sentinelBackend,
  redisClusterBackend,
  filesystemBackend,
  s3Backend,
  couchDbBackend,
  memcachedBackend,
  postgresqlBackend,
  memoryBackend,
  disabledBackend,
] as const;

/** A parsed backend URL plus its settings: one member per backend. @publicApi */
export type BackendConfig = ReturnType<(typeof BACKENDS)[number]['parseUrl']>;

/** The kinds of backend this library implements. @publicApi */
export type BackendKind = BackendConfig['kind'];

/** The definition of a config's kind (typed for that config). @internal */
export function backendFor<C extends BackendConfig>(
  config: C,
): BackendDefinition<C> {
  const found = BACKENDS.find((b) => b.kind === config.kind);
  if (!found) throw new TypeError(`unknown backend kind "${config.kind}"`);
  return found as unknown as BackendDefinition<C>;
}

/**
 * Build the store for a parsed config. The store module is imported only when chosen, and it
 * loads its driver lazily, so unused drivers are never loaded.
 * @internal
 */
export function createBackendStore(
  config: BackendConfig,
  ctx: StoreContext,
): Promise<ResultStore> {
  return backendFor(config).create(config, ctx);
}
