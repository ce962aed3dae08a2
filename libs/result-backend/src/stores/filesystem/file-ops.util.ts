import {
  readFileOrNullSync,
  unlinkFileSync,
  writeFileAtomicSync,
} from './file-io-sync.util.js';
import { readFileOrNull, unlinkFile, writeFileAtomic } from './file-io.util.js';

/** The three file operations the store needs, in one I/O mode. @internal */
export interface FileOps {
  /** Whole file, or `null` when missing. */
  read(path: string): Promise<Buffer | null>;
  /** Atomic replace through `tempPath`. */
  write(target: string, tempPath: string, data: Buffer): Promise<void>;
  /** `false` when already gone. */
  unlink(path: string): Promise<boolean>;
}

const asyncOps: FileOps = {
  read: readFileOrNull,
  write: writeFileAtomic,
  unlink: unlinkFile,
};

/**
 * Runs blocking `fn` in the next turn of the event loop (`setImmediate`) and settles with its
 * result. Deferring matters: a caller that polls in a loop would otherwise chain resolved
 * promises forever and starve timers and I/O (seen in tests); the blocking call itself
 * still takes no thread-pool round trip.
 */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(fn());
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}

const syncOps: FileOps = {
  read: (path) => settle(() => readFileOrNullSync(path)),
  write: (target, temp, data) =>
    settle(() => writeFileAtomicSync(target, temp, data)),
  unlink: (path) => settle(() => unlinkFileSync(path)),
};

/** Blocking reads (microseconds from the page cache), writes and deletes on the thread pool. */
const localOps: FileOps = {
  read: syncOps.read,
  write: writeFileAtomic,
  unlink: unlinkFile,
};

/**
 * File operations on the thread pool (`async`), blocking (`sync`), or blocking reads with
 * thread-pool writes (`local`, what `auto` picks on a local filesystem). @internal
 */
export function fileOps(mode: 'async' | 'sync' | 'local'): FileOps {
  return mode === 'sync' ? syncOps : mode === 'local' ? localOps : asyncOps;
}
