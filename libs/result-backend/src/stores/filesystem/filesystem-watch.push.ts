import { watch as fsWatch, type FSWatcher } from 'node:fs';
import type { LoggerService } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { StoreEvent, StorePush } from '../result-store.interface.js';
import type { FilesystemWatchMode } from './filesystem.options.js';

/** Settings of {@link FilesystemWatchPush}. @internal */
export interface FilesystemWatchPushOptions {
  readonly dir: string;
  /** `auto`: `fs.watch` on the directory, polling when that fails; `poll`: always poll. */
  readonly mode: FilesystemWatchMode;
  /** Interval of the `resync` fallback, ms. */
  readonly pollIntervalMs: number;
  readonly logger: LoggerService;
  /** Injected for tests; defaults to `fs.watch`. */
  readonly watchFn?: typeof fsWatch;
}

/**
 * Push for the filesystem store: one `fs.watch` on the result directory per store,
 * started lazily by the first `add()` and closed when no key is watched. Events carry only
 * the file name, so they become `{ type: 'change', key }` and the engine re-reads.
 *
 * When `fs.watch` is unavailable or fails (network filesystems, inotify limits), the store
 * emits `resync` at once and then every `pollIntervalMs` until no key is watched. Even while
 * `fs.watch` works, a slow safety-net `resync` (every 10 × `pollIntervalMs`, at least 2 s)
 * catches events the kernel dropped (inotify queue overflow under write bursts). The timers
 * keep the process alive while keys are watched, so a script awaiting a result does not exit.
 * Note that `fs.watch` only sees changes made through this kernel: on NFS/SMB writes from
 * other machines are missed, so use mode `poll` there.
 * @internal
 */
export class FilesystemWatchPush implements StorePush {
  private readonly subject = new Subject<StoreEvent>();
  private readonly keys = new Set<string>();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private safety: NodeJS.Timeout | undefined;
  private closed = false;

  /** See {@link StorePush.events}. */
  readonly events: Observable<StoreEvent> = this.subject.asObservable();

  constructor(private readonly opts: FilesystemWatchPushOptions) {}

  /** Whether an `fs.watch` watcher or a poll timer is currently open (for tests). */
  get active(): 'watch' | 'poll' | 'none' {
    return this.watcher ? 'watch' : this.timer ? 'poll' : 'none';
  }

  /** See {@link StorePush.add}. */
  add(keys: readonly string[]): Promise<void> {
    if (this.closed) return Promise.resolve();
    for (const k of keys) this.keys.add(k);
    if (this.keys.size > 0 && !this.watcher && !this.timer) this.start();
    return Promise.resolve();
  }

  /** See {@link StorePush.remove}. */
  remove(keys: readonly string[]): Promise<void> {
    for (const k of keys) this.keys.delete(k);
    if (this.keys.size === 0) this.stop();
    return Promise.resolve();
  }

  /** Stop watching for good and complete `events`. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.keys.clear();
    this.stop();
    this.subject.complete();
  }

  private start(): void {
    if (this.opts.mode === 'poll') return this.startPolling(false);
    try {
      const watcher = (this.opts.watchFn ?? fsWatch)(
        this.opts.dir,
        { persistent: false },
        (_event, name) => this.onFsEvent(name),
      );
      watcher.on('error', (err: unknown) => this.onWatchError(watcher, err));
      this.watcher = watcher;
      this.safety = setInterval(
        () => this.subject.next({ type: 'resync' }),
        Math.max(this.opts.pollIntervalMs * 10, 2000),
      );
    } catch (err) {
      this.opts.logger.warn?.(
        `fs.watch unavailable on ${this.opts.dir} (${describe(err)}); polling instead`,
      );
      this.startPolling(true);
    }
  }

  private onFsEvent(name: string | Buffer | null): void {
    if (name === null || name === undefined) {
      // Some platforms do not report the file name: re-read everything.
      this.subject.next({ type: 'resync' });
      return;
    }
    const key = typeof name === 'string' ? name : name.toString('utf8');
    if (this.keys.has(key)) this.subject.next({ type: 'change', key });
  }

  private onWatchError(watcher: FSWatcher, err: unknown): void {
    if (watcher !== this.watcher) return;
    this.opts.logger.warn?.(
      `fs.watch failed on ${this.opts.dir} (${describe(err)}); polling instead`,
    );
    this.closeWatcher();
    this.startPolling(true);
  }

  /** `missedSome`: changes may have been lost already, so resync at once. */
  private startPolling(missedSome: boolean): void {
    if (this.closed || this.timer) return;
    if (missedSome) this.subject.next({ type: 'resync' });
    this.timer = setInterval(
      () => this.subject.next({ type: 'resync' }),
      this.opts.pollIntervalMs,
    );
  }

  private stop(): void {
    this.closeWatcher();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private closeWatcher(): void {
    if (this.safety) clearInterval(this.safety);
    this.safety = undefined;
    const w = this.watcher;
    this.watcher = undefined;
    w?.close();
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
