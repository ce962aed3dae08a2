import type { FilesystemStoreOptions } from '../stores/filesystem/filesystem.options.js';
import type { RedisStoreOptions } from '../stores/redis/redis.options.js';
import type { S3StoreOptions } from '../stores/s3/s3.options.js';
import type { PostgresqlStoreOptions } from '../stores/postgresql/postgresql.options.js';
import type { ResultStore } from '../stores/result-store.interface.js';

/**
 * Options of `ResultBackendModule.forRoot()` / the factory of `forRootAsync()`. Anything not
 * given here is read by Celery setting name (`CELERY_RESULT_BACKEND`, …) from `settings`,
 * else from `process.env` (see docs/configuration.md). To read `@nestjs/config`, use
 * `forRootAsync` with {@link fromConfigService}.
 * @publicApi
 */
export interface ResultBackendModuleOptions {
  /**
   * Where settings not given as options are looked up by Celery setting name (see
   * `RESULT_BACKEND_SETTINGS`), e.g. `(name) => config.get(name)`. Default: `process.env`.
   * Objects (from `@nestjs/config` `load:`) are read as JSON.
   */
  settings?: (name: string) => unknown;
  /** Celery result backend URL, e.g. `redis://localhost:6379/0` or `file:///var/celery/results`. */
  url?: string;
  /**
   * Seconds until results expire (Celery's `result_expires`, default 86400); `null` or `0`
   * keeps them forever. Redis and memcached apply it as a TTL; filesystem and S3 through
   * `cleanup()`.
   */
  expires?: number | null;
  /** Global key prefix (Celery 5.3+ `global_keyprefix`); ignored by Celery 5.2. */
  keyPrefix?: string;
  /** How the prefix is joined: Celery 5.5+ rule (default) or 5.3/5.4 (always `_`). */
  keyPrefixStyle?: '5.5' | '5.3';
  /** Client-side cache of ready results, like `result_cache_max` (default -1 = off). */
  resultCacheMax?: number;
  /** Interval of the batched poll for stores without push, in ms (default 500). */
  pollIntervalMs?: number;
  /** Largest encoded result accepted for writing, in bytes (default 512 MiB, Celery's limit). */
  maxPayloadBytes?: number;
  /** Decode kombu 5.3+ `{"__type__", "__value__"}` envelopes on read (default true). */
  decodeKombuEnvelopes?: boolean;
  /** Redis / Sentinel / Cluster settings. */
  redis?: RedisStoreOptions;
  /** S3 settings. */
  s3?: S3StoreOptions;
  /** Filesystem store tuning: `watchMode` (`auto`/`poll`), `ioMode` (`async`/`sync`), … */
  filesystem?: FilesystemStoreOptions;
  /**
   * PostgreSQL (`db+postgresql://`) settings: table names and schemas (Celery's
   * `database_table_names` / `database_table_schemas`), `createTables`, `extended`, and a
   * user's own `pool`.
   */
  postgresql?: PostgresqlStoreOptions;
  /**
   * When false and no URL is configured anywhere, start with a disabled backend (every call
   * fails with `BackendDisabledError`, like Celery's DisabledBackend) instead of failing at
   * startup. Default true.
   */
  required?: boolean;
  /** Use this store instead of building one from the URL (tests, custom stores). */
  store?: ResultStore;
}
