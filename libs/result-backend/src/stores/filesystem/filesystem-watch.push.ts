import { watch as fsWatch, type FSWatcher } from 'node:fs';
import type { LoggerService } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { StoreEvent, StorePush } from '../result-store.interface.js';
import type { FilesystemWatchMode } from './filesystem.options.js';

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
    try {
      const watcher = (this.opts.watchFn ?? fsWatch)(
        this.opts.dir,
        { persistent: false },
        (_event, name) => this.onFsEvent(name),
      );
      watcher.on('error', (err: unknown) => this.onWatchError(watcher, err));
      this.watcher = watcher;
      if (this.degraded) {
        this.degraded = false;
        this.subject.next({ type: 'recovered' });
      }
    } catch (err) {
      this.opts.logger.warn?.(
        `fs.watch unavailable on ${this.opts.dir} (${describe(err)}); polling instead`,
      );
      this.degrade();
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
