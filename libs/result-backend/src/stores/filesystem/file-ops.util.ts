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

/** Runs `fn` now and turns its result or throw into a settled promise. */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

const syncOps: FileOps = {
  read: (path) => settle(() => readFileOrNullSync(path)),
  write: (target, temp, data) =>
    settle(() => writeFileAtomicSync(target, temp, data)),
  unlink: (path) => settle(() => unlinkFileSync(path)),
};

/** File operations on the thread pool (`async`) or blocking (`sync`). @internal */
export function fileOps(mode: 'async' | 'sync'): FileOps {
  return mode === 'sync' ? syncOps : asyncOps;
}
