import type { CeleryVersion } from '../protocol/celery-version.js';
import type { FilesystemStoreOptions } from '../stores/filesystem/filesystem.options.js';
import type { RedisStoreOptions } from '../stores/redis/redis.options.js';
import type { S3StoreOptions } from '../stores/s3/s3.options.js';
import type { MemcachedStoreOptions } from '../stores/memcached/memcached.options.js';
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
  /**
   * How the prefix is joined: Celery 5.5+ rule or 5.3/5.4 (always `_`). Default: the
   * `celeryVersion`'s rule (`5.3` for 5.3 and 5.4, else `5.5`).
   */
  keyPrefixStyle?: '5.5' | '5.3';
  /** Client-side cache of ready results, like `result_cache_max` (default -1 = off). */
  resultCacheMax?: number;
  /** Interval of the batched poll for stores without push, in ms (default 500). */
  pollIntervalMs?: number;
  /** Largest encoded result accepted for writing, in bytes (default 512 MiB, Celery's limit). */
  maxPayloadBytes?: number;
  /**
   * Decode kombu 5.3+ `{"__type__", "__value__"}` envelopes on read into typed values
   * (`PyDateTime`, `PyDecimal`, `PyUuid`, `Buffer`, …; default true).
   */
  decodeKombuEnvelopes?: boolean;
  /**
   * The Celery version whose forms the writer produces (setting `CELERY_VERSION`; `5.2` to
   * `5.6`, or a full version such as `5.5.2`). Default `5.6` (the newest):
   * - `5.2`: kombu 5.2 forms: `Date` as `"…Z"` text, typed values as their text, bytes
   *   refused, naive UTC `date_done`;
   * - `5.3`: kombu envelopes for dates, typed values and bytes; naive `date_done`;
   * - `5.4`: envelopes, `date_done` with `+00:00`;
   * - `5.5`, `5.6`: envelopes, `date_done` in the offset of `timezone`.
   * Celery 5.2 readers see envelopes as plain dicts `{"__type__": …, "__value__": …}` and an
   * offset `date_done` as an aware datetime; pick the oldest version that reads your results.
   */
  celeryVersion?: CeleryVersion;
  /**
   * Celery's `timezone` setting (setting `CELERY_TIMEZONE`, an IANA name; default `UTC`): the
   * offset of `date_done` for `celeryVersion` 5.5+.
   */
  timezone?: string;
  /** Redis / Sentinel / Cluster settings. */
  redis?: RedisStoreOptions;
  /** S3 settings. */
  s3?: S3StoreOptions;
  /** memcached client timing: `timeoutMs` (reply wait, default 3000), `retryDelayMs` (default 1000). */
  memcached?: MemcachedStoreOptions;
  /** Filesystem store tuning: `watchMode` (`auto`/`poll`), `ioMode` (`async`/`sync`), … */
  filesystem?: FilesystemStoreOptions;
  /**
   * PostgreSQL (`db+postgresql://`, `django-db`) settings: table names and schemas (Celery's
   * `database_table_names` / `database_table_schemas`), `createTables`, `extended`, a user's
   * own `pool`, and `databaseUrl` (the database of the bare `django-db` backend).
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
