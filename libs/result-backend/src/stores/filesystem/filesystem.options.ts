/** How the filesystem store notices changes: `fs.watch` (`auto`) or polling only (`poll`). @publicApi */
export type FilesystemWatchMode = 'auto' | 'poll';

/** `file:///abs/dir`, parsed. @publicApi */
export interface FilesystemBackendConfig {
  /** Discriminant. */
  readonly kind: 'filesystem';
  /** Directory holding one file per key (absolute, or relative to the cwd as in Celery). */
  readonly path: string;
  /** Store tuning, from `ResultBackendModuleOptions.filesystem`. */
  readonly options?: FilesystemStoreOptions;
}

/** Tuning of the filesystem store beyond the URL (`ResultBackendModuleOptions.filesystem`). @publicApi */
export interface FilesystemStoreOptions {
  /** `auto` (default): `fs.watch`, polling when unavailable; `poll` for network filesystems. */
  readonly watchMode?: FilesystemWatchMode;
  /**
   * Name prefixes `cleanup()` may delete (default: the ones the service passes, i.e. Celery's
   * task, group and chord prefixes after the global key prefix).
   */
  readonly cleanupPrefixes?: readonly string[];
  /** Parallel file reads in `mget` (default 32). */
  readonly readConcurrency?: number;
  /**
   * `auto` (default): on a local filesystem (ext4, xfs, btrfs, tmpfs, overlayfs, zfs …, by
   * `statfs`) reads block for the microseconds a small cached file takes, like Celery's, and
   * writes run on the thread pool; elsewhere (NFS, SMB, FUSE, unknown) everything runs on the
   * thread pool. `async`: always the thread pool, never blocking the event loop. `sync`:
   * blocking reads and writes. Never use `sync` on a network filesystem.
   */
  readonly ioMode?: 'auto' | 'async' | 'sync';
  /**
   * How long an empty or cut-off file must stay unchanged before it is taken as stored
   * (empty ⇒ PENDING, garbage ⇒ `MalformedResultError`), ms (default 1000). Until then it is
   * a write in progress (Celery truncates, then writes) and is re-read.
   */
  readonly tornWriteGraceMs?: number;
}

/** Example shown in filesystem configuration errors. @internal */
export const FILESYSTEM_EXAMPLE = 'file:///var/lib/celery/results';
