/**
 * Blocking twins of `file-io.util.ts`, for `ioMode: 'sync'`: no thread-pool round trips,
 * which makes small reads and writes on a local disk several times faster, at the price of
 * blocking the event loop for the duration of each system call.
 * @internal
 */
import * as fs from 'node:fs';
import { WholeFileBuffer, errnoCode, nullIfMissing } from './file-io.util.js';

function openOrNullSync(path: string): number | null {
  try {
    return fs.openSync(path, 'r');
  } catch (e) {
    return nullIfMissing(e);
  }
}

/** Whole file as bytes, or `null` when it does not exist. @internal */
export function readFileOrNullSync(path: string): Buffer | null {
  const fd = openOrNullSync(path);
  if (fd === null) return null;
  try {
    const file = new WholeFileBuffer();
    for (;;) {
      const n = fs.readSync(
        fd,
        file.chunk,
        0,
        file.chunk.length,
        file.position,
      );
      if (file.took(n)) return file.bytes();
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** `unlink(2)`; `false` when the file was already gone. @internal */
export function unlinkFileSync(path: string): boolean {
  try {
    fs.unlinkSync(path);
    return true;
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return false;
    throw e;
  }
}

/** Exclusive temp file, write, `rename()` over `target`; temp removed on failure. @internal */
export function writeFileAtomicSync(
  target: string,
  tempPath: string,
  data: Buffer,
): void {
  try {
    fs.writeFileSync(tempPath, data, { flag: 'wx', mode: 0o666 });
    fs.renameSync(tempPath, target);
  } catch (e) {
    // An EEXIST means the temp name was someone else's: leave that file alone.
    if (errnoCode(e) !== 'EEXIST') unlinkFileSync(tempPath);
    throw e;
  }
}
