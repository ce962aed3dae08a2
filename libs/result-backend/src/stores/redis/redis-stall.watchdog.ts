import type { Redis } from 'ioredis';

/**
 * Celery's `redis_socket_timeout` (120 s by default) for the command connection: when
 * commands are in flight and no reply has arrived for that long, the connection is dropped
 * and reopened (ioredis resends the unanswered commands), as a socket read timeout does in
 * redis-py. One unref'd interval timer per store, no timer per command: ioredis's own
 * `socketTimeout`/`commandTimeout` timers can outlive a failed connection (they stay armed
 * for commands it drops on reconnect) and would keep the process alive after `close()`.
 * @internal
 */
export class RedisStallWatchdog {
  private inflight = 0;
  private lastProgress = Date.now();
  private readonly timer: NodeJS.Timeout | null;

  constructor(
    private readonly client: Pick<Redis, 'status' | 'disconnect'>,
    private readonly timeoutMs: number,
    private readonly onStall: (timeoutMs: number) => void,
  ) {
    this.timer =
      timeoutMs > 0
        ? setInterval(
            () => this.check(),
            Math.max(100, Math.floor(timeoutMs / 4)),
          )
        : null;
    this.timer?.unref();
  }

  /** A command starts. */
  enter(): void {
    if (this.inflight++ === 0) this.lastProgress = Date.now();
  }

  /** A command ended (reply or error). */
  leave(): void {
    this.inflight--;
    this.lastProgress = Date.now();
  }

  /** Stop the timer. Idempotent. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private check(): void {
    if (this.inflight === 0 || this.client.status !== 'ready') return;
    if (Date.now() - this.lastProgress < this.timeoutMs) return;
    this.lastProgress = Date.now();
    this.onStall(this.timeoutMs);
    this.client.disconnect(true);
  }
}
