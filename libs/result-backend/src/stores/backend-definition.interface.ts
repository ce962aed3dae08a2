import type { FilesystemStoreOptions } from './filesystem/filesystem.options.js';
import type { MemcachedStoreOptions } from './memcached/memcached.options.js';
import type { PostgresqlStoreOptions } from './postgresql/postgresql.options.js';
import type { RedisStoreOptions } from './redis/redis.options.js';
import type { ResultStore } from './result-store.interface.js';
import type { S3StoreOptions } from './s3/s3.options.js';
import type { StoreContext } from './store-context.interface.js';

/**
 * The settings a backend's URL parser combines with the URL, already read and typed (explicit
 * module options first, then `CELERY_*` settings).
 * @publicApi
 */
export interface BackendSettings {
  /** Redis, Sentinel and Cluster settings. */
  readonly redis?: RedisStoreOptions;
  /** Celery's `s3_*` settings. */
  readonly s3?: S3StoreOptions;
  /** Filesystem store tuning. */
  readonly filesystem?: FilesystemStoreOptions;
  /** memcached client timing (`timeoutMs`, `retryDelayMs`), checked. */
  readonly memcached?: MemcachedStoreOptions;
  /** PostgreSQL table names, schemas, `createTables`, `extended`, a user's pool. */
  readonly postgresql?: PostgresqlStoreOptions;
  /** Celery's legacy `cache_backend` (`memcached://h:p/`), used when the URL is just `cache`. */
  readonly cacheBackend?: string;
}

/**
 * Everything the library knows about one kind of backend; `stores/backends.ts` lists them.
 * Adding a store means one folder with its definition, and one line in that list.
 * @internal
 */
export interface BackendDefinition<C extends { readonly kind: string }> {
  /** The config discriminant, e.g. `redis`. */
  readonly kind: C['kind'];
  /** URL schemes (the text before `://`, lower-case) this backend reads. */
  readonly schemes: readonly string[];
  /** Bare names (no `://`, e.g. `redis`) it accepts, each mapped to the URL it stands for. */
  readonly bareNames?: Readonly<
    Record<string, (settings: BackendSettings) => string>
  >;
  /** A valid URL, shown in configuration errors; never a real secret. */
  readonly example: string;
  /** Parse the URL plus the settings; throws `ImproperlyConfiguredError`. */
  parseUrl(url: string, settings: BackendSettings): C;
  /** A URL-like, password-free description for logs and health details. */
  describe(config: C): string;
  /** Build the store, loading its module and driver only now. */
  create(config: C, ctx: StoreContext): Promise<ResultStore>;
}
