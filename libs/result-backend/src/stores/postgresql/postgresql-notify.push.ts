/**
 * Optional push for the PostgreSQL store: `LISTEN celery_result` on one dedicated connection,
 * fed by a trigger that `installPostgresqlNotifyTrigger` installs on the task table (only when
 * the user calls it: nothing is installed silently). Without the trigger the store polls.
 */
import { Subject, type Observable } from 'rxjs';
import type { PgPoolLike } from './postgresql.options.js';
import { TASK_KEY_PREFIX } from '../../protocol/index.js';
import type { StoreEvent, StorePush } from '../result-store.interface.js';
import type { OutageReporter } from '../store-context.interface.js';
import { pushReconnectDelayMs } from '../../utils/watch-policy.constants.js';

/** The `NOTIFY` channel the trigger uses; the payload is the task id. @publicApi */
export const POSTGRESQL_NOTIFY_CHANNEL = 'celery_result';
/** Name of the trigger (and of its function). @publicApi */
export const POSTGRESQL_NOTIFY_TRIGGER = 'celery_result_notify';
/** The LISTEN connection's part in the backend's outage log. */
const LISTEN_PART = 'LISTEN connection';

interface ListenClient {
  query(text: string): Promise<unknown>;
  on(
    event: 'notification',
    fn: (msg: { channel: string; payload?: string }) => void,
  ): unknown;
  on(event: 'error' | 'end', fn: (err?: Error) => void): unknown;
  off(event: string, fn: (...args: never[]) => void): unknown;
  release(err?: Error | boolean): void;
}

/** True when the task table carries the notify trigger. @internal */
export async function hasNotifyTrigger(
  pool: PgPoolLike,
  table: string,
): Promise<boolean> {
  const res = await pool.query(
    'SELECT 1 FROM pg_trigger WHERE tgname = $1 AND tgrelid = to_regclass($2)',
    [POSTGRESQL_NOTIFY_TRIGGER, table],
  );
  return res.rows.length > 0;
}

/**
 * `StorePush` over `LISTEN`. A lost connection reports `degraded` (the engine polls
 * meanwhile); it reconnects with the policy's backoff and then reports `recovered`.
 * @internal
 */
export class PostgresqlNotifyPush implements StorePush {
  private readonly subject = new Subject<StoreEvent>();
  readonly events: Observable<StoreEvent> = this.subject.asObservable();
  private readonly keys = new Map<string, Set<string>>();
  private client: ListenClient | null = null;
  private connecting: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  /** Failed connection attempts since the last good one (0 = not degraded). */
  private failures = 0;
  private closed = false;
  private detach: () => void = () => undefined;

  constructor(
    private readonly pool: PgPoolLike,
    /** The backend's shared outage log. */
    private readonly outage: OutageReporter,
  ) {}

  private connect(): Promise<void> {
    this.connecting ??= (async () => {
      const client = (await this.pool.connect()) as ListenClient;
      if (this.closed) return client.release();
      const notified = (msg: { payload?: string }): void =>
        this.deliver(msg.payload);
      const lost = (err?: Error): void => this.lost(client, err);
      client.on('notification', notified);
      client.on('error', lost);
      client.on('end', lost);
      // Only our own listeners are removed: the pool keeps its idle-error handler.
      this.detach = () => {
        client.off('notification', notified);
        client.off('error', lost);
        client.off('end', lost);
      };
      try {
        await client.query(`LISTEN ${POSTGRESQL_NOTIFY_CHANNEL}`);
      } catch (err) {
        // Never keep a half-set-up client checked out of the pool.
        this.detach();
        client.on('error', () => undefined);
        client.release(err instanceof Error ? err : true);
        throw err;
      }
      if (this.closed) {
        this.detach();
        return client.release();
      }
      this.client = client;
    })().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private deliver(taskId: string | undefined): void {
    for (const key of (taskId && this.keys.get(taskId)) || [])
      this.subject.next({ type: 'change', key });
  }

  private lost(client: ListenClient, err?: Error): void {
    if (this.client !== client) return;
    this.client = null;
    this.detach();
    client.on('error', () => undefined); // a dying connection may report again
    client.release(err ?? true);
    if (this.closed) return;
    this.outage.down(LISTEN_PART, err ?? 'connection ended');
    this.scheduleReconnect();
  }

  /** Report `degraded` on the first failure, then retry with backoff until `recovered`. */
  private scheduleReconnect(): void {
    if (this.retry || this.closed) return;
    if (this.failures++ === 0) this.subject.next({ type: 'degraded' });
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().then(
        () => {
          this.failures = 0;
          this.outage.up(LISTEN_PART);
          this.subject.next({ type: 'recovered' });
        },
        () => this.scheduleReconnect(),
      );
    }, pushReconnectDelayMs(this.failures));
    this.retry.unref?.();
  }

  async add(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const id = key.slice(
        key.indexOf(TASK_KEY_PREFIX) + TASK_KEY_PREFIX.length,
      );
      let set = this.keys.get(id);
      if (!set) this.keys.set(id, (set = new Set()));
      set.add(key);
    }
    if (!this.client && !this.retry)
      await this.connect().catch((err: unknown) => {
        this.outage.down(LISTEN_PART, err);
        this.scheduleReconnect();
      });
  }

  remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const id = key.slice(
        key.indexOf(TASK_KEY_PREFIX) + TASK_KEY_PREFIX.length,
      );
      this.keys.get(id)?.delete(key);
      if (this.keys.get(id)?.size === 0) this.keys.delete(id);
    }
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    if (client) {
      this.detach();
      await client
        .query(`UNLISTEN ${POSTGRESQL_NOTIFY_CHANNEL}`)
        .catch(() => undefined);
      client.release();
    }
    this.subject.complete();
  }
}
