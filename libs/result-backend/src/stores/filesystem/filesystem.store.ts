import { randomBytes } from 'node:crypto';
import { access, constants as fsConstants } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type {
  FilesystemBackendConfig,
  FilesystemStoreOptions,
} from './filesystem.options.js';
import {
  BackendUnavailableError,
  InvalidTaskIdError,
} from '../../errors/index.js';
import type {
  ResultStore,
  StoreSetArgs,
  WriteOutcome,
} from '../result-store.interface.js';
import type { StoreContext } from '../store-context.interface.js';
import { cleanupDirectory } from './filesystem.cleanup.js';
import { FilesystemWatchPush } from './filesystem-watch.push.js';
import { isLocalFilesystem } from './filesystem-kind.probe.js';
import { fileOps, type FileOps } from './file-ops.util.js';
import {
  badDirectory,
  filesystemSelfTest,
} from './filesystem-self-test.probe.js';
import { KeyQueue } from '../../utils/key.queue.js';
import {
  DEFAULT_TORN_READ,
  isSettled,
  settleTornRead,
  type TornReadTiming,
} from './filesystem-torn-read.reader.js';
import { mapConcurrent } from '../../utils/map-concurrent.util.js';
import {
  assertFileSafeName,
  CHORD_KEY_PREFIX,
  GROUP_KEY_PREFIX,
  isSuccessDocument,
  TASK_KEY_PREFIX,
} from '../../protocol/index.js';

/** Names of in-flight temp files; starts with a dot so no Celery prefix or cleanup matches. */
export const FILESYSTEM_TEMP_PREFIX = '.celery-tmp-';

/**
 * Celery's `file://` result backend: one file per key in one directory, holding the exact
 * bytes. Unlike Celery, writes go to a temp file in the same directory and are `rename()`d
 * into place, so a reader never sees an empty or half-written file.
 *
 * "SUCCESS is final" is guaranteed within this process (all writes to a key are serialised
 * and the guard read happens under that lock). Across processes it is read-then-rename,
 * the same check-then-act window Celery itself has (Celery processes take no lock either):
 * a SUCCESS renamed in by another process between our read and our rename is replaced.
 * @publicApi
 */
export class FilesystemResultStore implements ResultStore {
  /** See {@link ResultStore.kind}. */
  readonly kind = 'filesystem' as const;
  /** See {@link ResultStore.autoExpires}: expiry needs `cleanup()`. */
  readonly autoExpires = false;
  /** `file://` URL of the directory. */
  readonly description: string;
  /** `fs.watch` on the directory, with a polling fallback. */
  readonly push: FilesystemWatchPush;

  private readonly lock = new KeyQueue();
  private readonly tempBase = `${FILESYSTEM_TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}-`;
  private tempSeq = 0;
  private closed = false;
  private readonly cleanupPrefixes: readonly string[] | undefined;
  private readonly readConcurrency: number;
  private readonly ops: FileOps;
  private readonly torn: TornReadTiming;

  /** Use {@link createFilesystemStore}, which also runs Celery's startup self-test. */
  constructor(
    /** Absolute directory path. */
    readonly dir: string,
    private readonly ctx: StoreContext,
    options: FilesystemStoreOptions = {},
    /** For `ioMode: 'auto'`: the directory is on a local filesystem. */
    localIo = false,
  ) {
    this.description = ctx.description ?? `file://${dir}`;
    this.cleanupPrefixes = options.cleanupPrefixes;
    this.readConcurrency = options.readConcurrency ?? 32;
    const graceMs = options.tornWriteGraceMs ?? DEFAULT_TORN_READ.graceMs;
    this.torn = { ...DEFAULT_TORN_READ, graceMs };
    this.ops = fileOps(
      options.ioMode === 'sync' || options.ioMode === 'async'
        ? options.ioMode
        : localIo
          ? 'local'
          : 'async',
    );
    this.push = new FilesystemWatchPush({
      dir,
      mode: options.watchMode ?? 'auto',
      logger: ctx.logger,
    });
  }

  /** One file name: no `/` or `\\`, not `.`/`..`, not a temp name, at most 255 bytes. */
  validateKey(key: string): void {
    assertFileSafeName(key);
    if (key.startsWith(FILESYSTEM_TEMP_PREFIX))
      throw new InvalidTaskIdError(key, 'reserved temp file name');
  }

  /** Missing or empty ⇒ `null`; a cut-off file is re-read (see `readSettled`). */
  async get(key: string): Promise<string | null> {
    const path = this.pathOf(key);
    let bytes = await this.io(() => this.ops.read(path));
    if (!isSettled(bytes)) {
      const first = bytes;
      bytes = await this.io(() =>
        settleTornRead(path, first, this.ops.read, this.torn, this.description),
      );
    }
    return bytes && bytes.length > 0 ? bytes.toString('utf8') : null;
  }

  /** See {@link ResultStore.mget}: parallel reads, bounded. */
  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    for (const k of keys) this.pathOf(k);
    return mapConcurrent(keys, this.readConcurrency, (k) => this.get(k));
  }

  /** See {@link ResultStore.set}. `ttl` is ignored: files expire through `cleanup()`. */
  async set(
    ...[key, value, , guardSuccess]: StoreSetArgs
  ): Promise<WriteOutcome> {
    const path = this.pathOf(key);
    const data = Buffer.from(value, 'utf8');
    return this.lock.run(key, () =>
      this.io(async () => {
        if (guardSuccess) {
          const current = await this.ops.read(path);
          if (
            current &&
            current.length > 0 &&
            isSuccessDocument(current.toString('utf8'))
          )
            return 'kept-success';
        }
        await this.ops.write(
          path,
          join(this.dir, this.tempBase + (++this.tempSeq).toString(36)),
          data,
        );
        return 'written';
      }),
    );
  }

  /** See {@link ResultStore.delete}: a missing file is fine (Celery would raise). */
  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    await this.lock.run(key, () => this.io(() => this.ops.unlink(path)));
  }

  /**
   * Celery's `cleanup()`: removes files named with one of the result prefixes (the
   * `cleanupPrefixes` option, else `prefixes`, else Celery's unprefixed ones) with an mtime
   * older than `expiresSeconds`.
   */
  async cleanup(
    expiresSeconds: number,
    prefixes?: readonly string[],
  ): Promise<number> {
    this.assertOpen();
    const names = this.cleanupPrefixes ??
      prefixes ?? [TASK_KEY_PREFIX, GROUP_KEY_PREFIX, CHORD_KEY_PREFIX];
    return this.io(() =>
      cleanupDirectory(this.dir, names, expiresSeconds, this.lock),
    );
  }

  /** The directory is still there, readable and writable. */
  async ping(): Promise<void> {
    this.assertOpen();
    await this.io(() =>
      access(this.dir, fsConstants.R_OK | fsConstants.W_OK | fsConstants.X_OK),
    );
  }

  /** Stop the watcher or poll timer and wait for in-flight writes. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.push.close();
    await this.lock.drain();
  }

  /** Celery's startup self-test: write, read back and delete `.fs-backend-<uuid>`. @internal */
  async selfTest(): Promise<void> {
    await filesystemSelfTest(this.dir, this);
  }

  /** Validates the key (before any disk access) and returns its file path. */
  private pathOf(key: string): string {
    this.assertOpen();
    this.validateKey(key);
    return join(this.dir, key);
  }

  private assertOpen(): void {
    if (this.closed)
      throw new BackendUnavailableError(this.description, 'store closed');
  }

  /** Runs file I/O, turning OS errors into {@link BackendUnavailableError}. */
  private async io<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new BackendUnavailableError(this.description, reason, { cause: e });
    }
  }
}

/**
 * Open a filesystem store on `config.path` (relative paths resolve against the cwd, as in
 * Celery) and run Celery's startup self-test.
 * @throws ImproperlyConfiguredError when the directory is missing or not writable.
 * @publicApi
 */
export async function createFilesystemStore(
  config: FilesystemBackendConfig,
  ctx: StoreContext,
  options?: FilesystemStoreOptions,
): Promise<ResultStore> {
  if (!config.path) throw badDirectory('the file:// URL has no directory path');
  const dir = resolve(config.path);
  const local =
    (options?.ioMode ?? 'auto') === 'auto' && (await isLocalFilesystem(dir));
  const store = new FilesystemResultStore(dir, ctx, options, local);
  try {
    await store.selfTest();
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
