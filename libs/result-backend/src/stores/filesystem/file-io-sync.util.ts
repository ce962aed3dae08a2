/**
 * Blocking twins of `file-io.util.ts`, for `ioMode: 'sync'`: no thread-pool round trips,
 * which makes small reads and writes on a local disk several times faster, at the price of
 * blocking the event loop for the duration of each system call.
 * @internal
 */
import * as fs from 'node:fs';
import { errnoCode } from './file-io.util.js';

const FIRST_CHUNK = 16 * 1024;

/** Whole file as bytes, or `null` when it does not exist. @internal */
export function readFileOrNullSync(path: string): Buffer | null {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return null;
    throw e;
  }
  try {
    const first = Buffer.allocUnsafe(FIRST_CHUNK);
    let n = fs.readSync(fd, first, 0, first.length, 0);
    if (n < first.length) return first.subarray(0, n);
    const chunks = [first];
    let total = n;
    let size = FIRST_CHUNK;
    do {
      size = Math.min(size * 4, 64 * 1024 * 1024);
      const chunk = Buffer.allocUnsafe(size);
      n = fs.readSync(fd, chunk, 0, size, total);
      chunks.push(chunk.subarray(0, n));
      total += n;
    } while (n > 0);
    return Buffer.concat(chunks, total);
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
