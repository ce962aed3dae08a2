/**
 * The per-backend option types of `ResultBackendModuleOptions` (`redis`, `s3`, `filesystem`,
 * `memcached`, `postgresql`): one list; the `/config` entry exports all of them, the main entry
 * the three most apps set.
 */
export type { FilesystemStoreOptions } from './filesystem/filesystem.options.js';
export type { MemcachedStoreOptions } from './memcached/memcached.options.js';
export type { PostgresqlStoreOptions } from './postgresql/postgresql.options.js';
export type { RedisStoreOptions } from './redis/redis.options.js';
export type { S3StoreOptions } from './s3/s3.options.js';
