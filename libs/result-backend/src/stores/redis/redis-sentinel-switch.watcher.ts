import type { HostPort } from '../../config/host-port.interface.js';
import { isIP } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import type { Redis, RedisOptions } from 'ioredis';
import { closeRedisClient } from './redis-client.factory.js';

/** Sentinels subscribed to at most (each is one connection). */
const MAX_SENTINEL_CONNECTIONS = 3;
/** How long after a `+switch-master` a connection that lands elsewhere is sent back. */
const SWITCH_WINDOW_MS = 5_000;

/** The client surface the watcher needs from the store's connections. @internal */
export type SwitchableClient = Pick<
  Redis,
  'status' | 'stream' | 'disconnect' | 'on' | 'off'
>;

/** Parse `<name> <old-ip> <old-port> <new-ip> <new-port>`; null for other masters. @internal */
export function parseSwitchMaster(
  message: string,
  masterName: string,
): HostPort | null {
  const parts = message.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] !== masterName) return null;
  const port = Number(parts[4]);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return null;
  return { host: parts[3], port };
}

/** Does the connection's socket point at `addr`? Host names are compared by port only. @internal */
export function isConnectedTo(
  client: Pick<Redis, 'stream'>,
  addr: HostPort,
): boolean {
  const stream = client.stream as
    { remoteAddress?: string; remotePort?: number } | undefined;
  if (!stream?.remotePort) return false;
  if (stream.remotePort !== addr.port) return false;
  if (isIP(addr.host) === 0) return true;
  const remote = (stream.remoteAddress ?? '').replace(/^::ffff:/, '');
  return remote === addr.host;
}

/**
 * Moves the store's connections to a new master as soon as any sentinel announces
 * `+switch-master`, instead of waiting for the demoted master to be converted (about 10 s
 * after a `SENTINEL FAILOVER`, during which it still accepts writes and keeps subscribers
 * nobody publishes to). One pub/sub connection per sentinel (up to three).
 *
 * Only a connection that is `ready` is dropped (ioredis then asks the sentinels again): dropping
 * one mid-connect would end it for good. A connection that becomes ready somewhere else
 * shortly after a switch (a sentinel not yet told) is dropped again on `ready`.
 *
 * ioredis' own `failoverDetector` is not used for that reason: it calls the connector's
 * disconnect while a reconnect may be resolving, which ends the client (status `end`).
 * @internal
 */
export class SentinelSwitchWatcher {
  private readonly sentinels: Redis[] = [];
  private readonly clients = new Map<SwitchableClient, () => void>();
  private target: (HostPort & { readonly until: number }) | null = null;
  private closed = false;

  constructor(
    private readonly RedisClass: new (options: RedisOptions) => Redis,
    private readonly options: {
      readonly sentinels: readonly HostPort[];
      readonly masterName: string;
      readonly sentinelUsername?: string;
      readonly sentinelPassword?: string;
      readonly connectTimeoutMs?: number;
      readonly logger: LoggerService;
      readonly description: string;
    },
  ) {}

  /** Follow switches for this connection (and start the sentinel subscriptions on first use). */
  track(client: SwitchableClient): void {
    if (this.closed || this.clients.has(client)) return;
    const onReady = (): void => this.checkReady(client);
    client.on('ready', onReady);
    this.clients.set(client, onReady);
    if (this.sentinels.length === 0) this.subscribe();
  }

  /** Close the sentinel connections and stop following. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [client, onReady] of this.clients) client.off('ready', onReady);
    this.clients.clear();
    await Promise.all(this.sentinels.map((s) => closeRedisClient(s)));
  }

  private subscribe(): void {
    for (const addr of this.options.sentinels.slice(
      0,
      MAX_SENTINEL_CONNECTIONS,
    )) {
      const options: RedisOptions = {
        host: addr.host,
        port: addr.port,
        maxRetriesPerRequest: null,
        connectionName: 'celery-result-backend-switch',
      };
      if (this.options.sentinelUsername !== undefined)
        options.username = this.options.sentinelUsername;
      if (this.options.sentinelPassword !== undefined)
        options.password = this.options.sentinelPassword;
      if (this.options.connectTimeoutMs !== undefined)
        options.connectTimeout = this.options.connectTimeoutMs;
      const sentinel = new this.RedisClass(options);
      sentinel.on('error', () => undefined); // the master connections report outages
      sentinel.on('message', (_channel: string, message: string) =>
        this.onSwitch(message),
      );
      sentinel.subscribe('+switch-master').catch(() => undefined);
      this.sentinels.push(sentinel);
    }
  }

  private onSwitch(message: string): void {
    const addr = parseSwitchMaster(message, this.options.masterName);
    if (!addr || this.closed) return;
    this.target = { ...addr, until: Date.now() + SWITCH_WINDOW_MS };
    for (const client of this.clients.keys()) this.checkReady(client);
  }

  /** Drop a ready connection that is not on the announced master (ioredis reconnects). */
  private checkReady(client: SwitchableClient): void {
    const target = this.target;
    if (!target || this.closed || client.status !== 'ready') return;
    if (Date.now() > target.until) {
      this.target = null;
      return;
    }
    if (isConnectedTo(client, target)) {
      if ([...this.clients.keys()].every((c) => isConnectedTo(c, target)))
        this.target = null; // everyone is there: stop checking
      return;
    }
    this.options.logger.debug?.(
      `Redis ${this.options.description}: master switched to ${target.host}:${target.port}, reconnecting`,
    );
    client.disconnect(true);
  }
}
