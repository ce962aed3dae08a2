import type { Redis, RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'node:tls';
import type { HostPort } from '../../config/host-port.interface.js';
import { loadPackage } from '../../utils/load-package.util.js';
import type { StoreContext } from '../store-context.interface.js';
import {
  prepareRedisTls,
  type RedisConnectionRole,
} from './redis-client.factory.js';
import type {
  RedisBackendConfig,
  RedisConnectionConfig,
} from './redis.options.js';

/** The ioredis module. @internal */
export type IoRedisModule = typeof import('ioredis');

/** Load ioredis on first use, naming the backend form that needs it. @internal */
export function loadIoRedis(usedFor: string): Promise<IoRedisModule> {
  return loadPackage<IoRedisModule>('ioredis', `${usedFor} result backend`);
}

/** Store timeouts (ms) from Celery's `redis_socket_timeout` / `redis_socket_connect_timeout`. @internal */
export interface RedisStoreTimeouts {
  /** Stall watchdog bound (Celery's socket timeout; default 120 s). */
  readonly socketTimeoutMs: number;
  /** How long `ping()` waits (the connect timeout when set). */
  readonly pingTimeoutMs?: number;
  /** How long a call waits for a connection that is down (the connect timeout when set). */
  readonly unavailableTimeoutMs?: number;
}

/**
 * The store timeouts of a Redis-family config. Celery's `redis_socket_connect_timeout` bounds
 * both `ping()` and a call's wait for a connection.
 * @internal
 */
export function redisStoreTimeouts(
  config: RedisConnectionConfig,
): RedisStoreTimeouts {
  const connectMs = config.socketConnectTimeout
    ? config.socketConnectTimeout * 1000
    : undefined;
  return {
    socketTimeoutMs: Math.round((config.socketTimeout ?? 120) * 1000),
    pingTimeoutMs: connectMs,
    unavailableTimeoutMs: connectMs,
  };
}

/**
 * A `redis://` config for one server of a Sentinel or Cluster config (its first sentinel or
 * seed node), so their connections reuse the `redis://` connection options.
 * @internal
 */
export function asRedisConfig(
  config: RedisConnectionConfig,
  server: HostPort,
  db: number,
): RedisBackendConfig {
  return {
    kind: 'redis',
    host: server.host,
    port: server.port,
    db,
    query: config.query,
    ...(config.username !== undefined ? { username: config.username } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
    ...(config.tls ? { tls: config.tls } : {}),
    ...(config.socketTimeout !== undefined
      ? { socketTimeout: config.socketTimeout }
      : {}),
    ...(config.socketConnectTimeout !== undefined
      ? { socketConnectTimeout: config.socketConnectTimeout }
      : {}),
  };
}

/** The client class and both connections' options of a plain or Sentinel store. @internal */
export interface RedisConnections {
  /** ioredis' `Redis` class. */
  readonly RedisClass: typeof Redis;
  /** Masked description (the context's, else computed). */
  readonly description: string;
  /** Options of the command connection. */
  readonly command: RedisOptions;
  /** Options of the pub/sub connection. */
  readonly subscriber: RedisOptions;
}

/** How one Redis form (plain or Sentinel) names itself and builds its connection options. @internal */
export interface RedisConnectionForm<C extends RedisConnectionConfig> {
  /** The scheme named when ioredis is missing, e.g. `redis://`. */
  readonly usedFor: string;
  /** The masked description, when the context brings none. */
  describe(config: C): string;
  /** ioredis options of one connection. */
  build(
    config: C,
    role: RedisConnectionRole,
    tls?: ConnectionOptions,
  ): Promise<RedisOptions>;
}

/**
 * Load ioredis, prepare TLS once (warning like Celery when certificates are not verified) and
 * build the command and subscriber options of `form`.
 * @internal
 */
export async function prepareRedisConnections<C extends RedisConnectionConfig>(
  config: C,
  ctx: StoreContext,
  form: RedisConnectionForm<C>,
): Promise<RedisConnections> {
  const mod = await loadIoRedis(form.usedFor);
  const description = ctx.description ?? form.describe(config);
  const tls = await prepareRedisTls(config.tls, description, ctx.logger);
  const [command, subscriber] = await Promise.all([
    form.build(config, 'command', tls),
    form.build(config, 'subscriber', tls),
  ]);
  return {
    RedisClass: mod.Redis ?? mod.default,
    description,
    command,
    subscriber,
  };
}
