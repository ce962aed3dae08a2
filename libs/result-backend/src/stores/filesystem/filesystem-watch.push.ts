import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { StoreEvent, StorePush } from '../result-store.interface.js';
import type { FilesystemWatchMode } from './filesystem.options.js';
import { pushReconnectDelayMs } from '../../utils/watch-policy.constants.js';
import { errnoCode } from './file-io.util.js';

/** Settings of {@link FilesystemWatchPush}. @internal */
export interface FilesystemWatchPushOptions {
  readonly dir: string;
  /** `auto`: `fs.watch` on the directory, degraded when that fails; `poll`: always degraded. */
  readonly mode: FilesystemWatchMode;
  readonly logger: LoggerService;
  /** Injected for tests; defaults to `fs.watch`. */
  readonly watchFn?: typeof fsWatch;
}

/**
 * Push for the filesystem store: one `fs.watch` on the result directory per store,
 * started lazily by the first `add()` and closed when no key is watched. Events carry only
 * the file name, so they become `{ type: 'change', key }` and the engine re-reads.
 *
 * It never polls: when `fs.watch` is unavailable or fails (network filesystems, inotify
 * limits), and always in mode `poll`, it reports `degraded` and the watch engine polls (and
 * keeps its slow safety re-read while `fs.watch` works, for events the kernel dropped).
 * Note that `fs.watch` only sees changes made through this kernel: on NFS/SMB writes from
 * other machines are missed, so use mode `poll` there.
 *
 * A watch dies with its directory: when the directory itself is renamed or deleted (Linux
 * reports a `rename` event named after the directory), the watcher is re-armed on the path.
 * If the path is there again the engine re-reads every key (`resync`); while it is missing
 * the push reports `degraded` (the engine polls, so a result written into a recreated
 * directory is still seen) and retries with the push backoff, then reports `recovered`.
 * @internal
 */
export class FilesystemWatchPush implements StorePush {
  private readonly subject = new Subject<StoreEvent>();
  private readonly keys = new Set<string>();
  private watcher: FSWatcher | undefined;
  private degraded = false;
  /** Keys are watched: `fs.watch` is open, or push reported degraded. */
  private started = false;
  private closed = false;
  private rearmTimer: NodeJS.Timeout | undefined;
  /** Re-arm attempts that found the directory missing, in a row. */
  private missing = 0;

  /** See {@link StorePush.events}. */
  readonly events: Observable<StoreEvent> = this.subject.asObservable();

  constructor(private readonly opts: FilesystemWatchPushOptions) {}

  /** `watch`: an `fs.watch` watcher is open; `degraded`: reported degraded (for tests). */
  get active(): 'watch' | 'degraded' | 'none' {
    if (!this.started) return 'none';
    return this.watcher ? 'watch' : 'degraded';
  }

  /** See {@link StorePush.add}. */
  add(keys: readonly string[]): Promise<void> {
    if (this.closed) return Promise.resolve();
    for (const k of keys) this.keys.add(k);
    if (this.keys.size > 0 && !this.started) this.start();
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
    this.started = true;
    if (this.opts.mode === 'poll') return this.degrade();
    this.open();
  }

  /** Open `fs.watch`; a missing directory is retried later, other failures poll for good. */
  private open(): boolean {
    try {
      const watcher = (this.opts.watchFn ?? fsWatch)(
        this.opts.dir,
        { persistent: false },
        (event, name) => this.onFsEvent(name, event),
      );
      watcher.on('error', (err: unknown) => this.onWatchError(watcher, err));
      this.watcher = watcher;
      this.missing = 0;
      if (this.degraded) {
        this.degraded = false;
        this.subject.next({ type: 'recovered' });
      }
      return true;
    } catch (err) {
      const gone = errnoCode(err) === 'ENOENT';
      if (!this.degraded)
        this.opts.logger.warn?.(
          gone
            ? `result directory ${this.opts.dir} is missing; polling until it is back`
            : `fs.watch unavailable on ${this.opts.dir} (${describe(err)}); polling instead`,
        );
      this.degrade();
      if (gone) this.retryLater();
      return false;
    }
  }

  /** The directory was renamed or deleted: watch the path anew (events in between: resync). */
  private rearm(): void {
    if (this.closed || !this.started) return;
    this.closeWatcher();
    if (this.open()) this.subject.next({ type: 'resync' });
  }

  private retryLater(): void {
    if (this.rearmTimer || this.closed || !this.started) return;
    this.rearmTimer = setTimeout(() => {
      this.rearmTimer = undefined;
      if (!this.watcher && this.started && !this.closed) this.open();
    }, pushReconnectDelayMs(++this.missing));
    this.rearmTimer.unref();
  }

  private onFsEvent(name: string | Buffer | null, event = 'change'): void {
    if (name === null || name === undefined) {
      // Some platforms do not report the file name: re-read everything.
      this.subject.next({ type: 'resync' });
      return;
    }
    const key = typeof name === 'string' ? name : name.toString('utf8');
    if (this.keys.has(key)) this.subject.next({ type: 'change', key });
    // Linux: the watched directory itself was renamed or deleted (IN_DELETE_SELF/MOVE_SELF).
    if (event === 'rename' && key === basename(this.opts.dir)) this.rearm();
  }

  private onWatchError(watcher: FSWatcher, err: unknown): void {
    if (watcher !== this.watcher) return;
    this.opts.logger.warn?.(
      `fs.watch failed on ${this.opts.dir} (${describe(err)}); polling instead`,
    );
    this.closeWatcher();
    this.degrade();
  }

  /** Report `degraded` (once): the engine re-reads every key now, then polls. */
  private degrade(): void {
    if (this.closed || this.degraded) return;
    this.degraded = true;
    this.subject.next({ type: 'degraded' });
  }

  private stop(): void {
    this.started = false;
    clearTimeout(this.rearmTimer);
    this.rearmTimer = undefined;
    this.closeWatcher();
  }

  private closeWatcher(): void {
    const w = this.watcher;
    this.watcher = undefined;
    w?.close();
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
