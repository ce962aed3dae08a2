import type { LoggerService } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Subject, type Observable } from 'rxjs';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { redactDriverError } from '../../errors/driver-error.redactor.js';
import { closeRedisClient } from './redis-client.factory.js';
import type { OutageReporter } from '../store-context.interface.js';
import { logRedisOutages } from './redis-outage.reporter.js';
import {
  permanentRedisError,
  redisConfigurationError,
} from './redis-reply.errors.js';
import type { StoreEvent, StorePush } from '../result-store.interface.js';

/** Channels per SUBSCRIBE / UNSUBSCRIBE command. */
const CHUNK = 5000;

/** Callers of add()/remove() waiting for the batch that carries their channels. */
interface Batch {
  readonly adds: Set<string>;
  readonly removes: Set<string>;
  readonly waiters: { resolve: () => void; reject: (e: unknown) => void }[];
}

function chunks(items: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < items.length; i += CHUNK)
    out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Pub/sub push for a Redis store: ONE dedicated subscriber connection carries every watched
 * channel. Calls made in the same turn of the event loop are coalesced into one SUBSCRIBE /
 * UNSUBSCRIBE; batches run one after another, so `add()` resolves only once its channels are
 * subscribed. A lost connection reports `degraded` (the engine polls meanwhile); after the
 * reconnect every wanted channel is subscribed again, then `recovered` asks the engine to
 * re-read what it watches and stop polling. Nothing is kept for unwatched channels. While
 * the server refuses the connection's configuration (wrong password…), `add()` fails at once
 * with the permanent BackendUnavailableError instead of waiting for a `ready` that never comes.
 * @internal
 */
export class RedisPubSubPush implements StorePush {
  /** `change` per message on a wanted channel (value = message text); `degraded`/`recovered` around reconnects. */
  readonly events: Observable<StoreEvent>;
  private readonly subject = new Subject<StoreEvent>();
  private client: Redis | null = null;
  /** Channels someone watches. */
  private readonly wanted = new Set<string>();
  /** Channels subscribed (or being subscribed) on the current connection. */
  private active = new Set<string>();
  private batch: Batch | null = null;
  private flushTimer: NodeJS.Immediate | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** Batches that arrived while disconnected: settled by the next resubscription. */
  private parked: Batch['waiters'] = [];
  private everReady = false;
  /** `degraded` was reported and `recovered` not yet. */
  private degraded = false;
  private closed = false;
  /** The permanent error of the last refused connection attempt, until the next `ready`. */
  private refused: BackendUnavailableError | null = null;

  constructor(
    private readonly createClient: () => Redis,
    private readonly logger: LoggerService,
    private readonly description: string,
    private readonly outage: OutageReporter,
  ) {
    this.events = this.subject.asObservable();
  }

  /** Number of channels currently wanted (for health details and tests). */
  get size(): number {
    return this.wanted.size;
  }

  /** SUBSCRIBE these channels; resolves once the server confirmed them. */
  add(keys: readonly string[]): Promise<void> {
    return this.enqueue(keys, true);
  }

  /** UNSUBSCRIBE these channels (messages for them stop at once). */
  remove(keys: readonly string[]): Promise<void> {
    return this.enqueue(keys, false);
  }

  /** Close the subscriber connection; pending add()/remove() reject. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = null;
    const err = new BackendUnavailableError(
      this.description,
      'the store was closed',
    );
    for (const w of [...(this.batch?.waiters ?? []), ...this.parked])
      w.reject(err);
    this.batch = null;
    this.parked = [];
    this.wanted.clear();
    this.active.clear();
    this.subject.complete();
    const client = this.client;
    this.client = null;
    if (client) await closeRedisClient(client);
  }

  private enqueue(keys: readonly string[], add: boolean): Promise<void> {
    if (this.closed)
      return Promise.reject(
        new BackendUnavailableError(this.description, 'the store was closed'),
      );
    if (keys.length === 0) return Promise.resolve();
    const batch = (this.batch ??= {
      adds: new Set(),
      removes: new Set(),
      waiters: [],
    });
    for (const k of keys) {
      if (add) {
        this.wanted.add(k);
        batch.adds.add(k);
      } else {
        this.wanted.delete(k);
        batch.removes.add(k);
      }
    }
    this.flushTimer ??= setImmediate(() => {
      this.flushTimer = null;
      const b = this.batch;
      this.batch = null;
      if (b) this.chain = this.chain.then(() => this.flush(b));
    });
    return new Promise<void>((resolve, reject) =>
      batch.waiters.push({ resolve, reject }),
    );
  }

  /** Send one batch's difference between wanted and active channels. Never rejects. */
  private async flush(batch: Batch): Promise<void> {
    if (this.closed) return;
    const client = this.ensureClient();
    if (client.status !== 'ready') {
      // Nothing is subscribed on a connection that is down: a pure removal is done.
      if (batch.adds.size === 0) for (const w of batch.waiters) w.resolve();
      else if (this.refused)
        for (const w of batch.waiters) w.reject(this.refused);
      else this.parked.push(...batch.waiters); // the resubscription on 'ready' covers them
      return;
    }
    const unsub = [...batch.removes].filter(
      (k) => !this.wanted.has(k) && this.active.has(k),
    );
    const sub = [...batch.adds].filter(
      (k) => this.wanted.has(k) && !this.active.has(k),
    );
    for (const k of unsub) this.active.delete(k);
    for (const k of sub) this.active.add(k);
    try {
      await Promise.all([
        ...chunks(unsub).map((c) => client.unsubscribe(...c)),
        ...chunks(sub).map((c) => client.subscribe(...c)),
      ]);
      for (const w of batch.waiters) w.resolve();
    } catch (err) {
      for (const k of sub) this.active.delete(k);
      const permanent = permanentRedisError(err);
      const error = permanent
        ? redisConfigurationError(this.description, permanent)
        : new BackendUnavailableError(
            this.description,
            (err as Error).message,
            {
              cause: err,
            },
          );
      for (const w of batch.waiters) w.reject(error);
    }
  }

  private ensureClient(): Redis {
    if (this.client) return this.client;
    const client = this.createClient();
    client.on('message', (channel: string, message: string) => {
      if (this.wanted.has(channel))
        this.subject.next({ type: 'change', key: channel, value: message });
    });
    client.on('error', (err: Error) => this.onError(err));
    client.on('ready', () => {
      this.refused = null;
      this.chain = this.chain.then(() => this.resubscribeAll(client));
    });
    client.on('close', () => {
      if (this.client !== client) return;
      this.active.clear();
      // Messages published now are lost: the engine polls until `recovered`.
      if (this.everReady && !this.closed && !this.degraded) {
        this.degraded = true;
        this.subject.next({ type: 'degraded' });
      }
    });
    logRedisOutages(client, this.outage, 'subscriber');
    this.client = client;
    return client;
  }

  /** A refused configuration fails the parked callers now (no `ready` would settle them). */
  private onError(err: Error): void {
    redactDriverError(err);
    const permanent = permanentRedisError(err);
    if (!permanent || this.closed) return;
    this.refused = redisConfigurationError(this.description, permanent);
    const parked = this.parked;
    this.parked = [];
    for (const w of parked) w.reject(this.refused);
  }

  /** On (re)connect: subscribe every wanted channel, settle parked callers, report recovered. */
  private async resubscribeAll(client: Redis): Promise<void> {
    if (this.closed || this.client !== client || client.status !== 'ready')
      return;
    const reconnect = this.everReady;
    this.everReady = true;
    const parked = this.parked;
    this.parked = [];
    const all = [...this.wanted];
    this.active = new Set(all);
    try {
      await Promise.all(chunks(all).map((c) => client.subscribe(...c)));
    } catch (err) {
      // Connection lost again: the next 'ready' retries; keep the callers waiting.
      this.active.clear();
      this.parked.push(...parked);
      this.logger.debug?.(
        `Redis subscriber ${this.description}: resubscribe failed: ${(err as Error).message}`,
      );
      return;
    }
    for (const w of parked) w.resolve();
    if (reconnect) {
      this.logger.debug?.(
        `Redis subscriber ${this.description}: reconnected, ${all.length} channel(s) resubscribed`,
      );
      this.degraded = false;
      this.subject.next({ type: 'recovered' });
    }
  }
}
