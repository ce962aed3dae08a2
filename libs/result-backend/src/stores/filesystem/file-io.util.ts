/**
 * Small, fast file primitives on Node's callback API (noticeably quicker than
 * `fs/promises.readFile` for the tiny files Celery writes).
 * @internal
 */
import * as fs from 'node:fs';

const FIRST_CHUNK = 16 * 1024;

/** Node's errno code of an error, if any. @internal */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : undefined;
}

function openFile(path: string, flags: string, mode?: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.open(path, flags, mode, (e, fd) => (e ? reject(e) : resolve(fd))),
  );
}

function closeFile(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.close(fd, (e) => (e ? reject(e) : resolve())),
  );
}

function readInto(fd: number, buf: Buffer, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.read(fd, buf, 0, buf.length, position, (e, n) =>
      e ? reject(e) : resolve(n),
    ),
  );
}

function writeFrom(fd: number, buf: Buffer, offset: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.write(fd, buf, offset, buf.length - offset, offset, (e, n) =>
      e ? reject(e) : resolve(n),
    ),
  );
}

/** `rename(2)`: atomically replaces `to` on the same filesystem. @internal */
export function renameFile(from: string, to: string): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.rename(from, to, (e) => (e ? reject(e) : resolve())),
  );
}

/** `unlink(2)`; resolves `false` when the file was already gone. @internal */
export function unlinkFile(path: string): Promise<boolean> {
  return new Promise((resolve, reject) =>
    fs.unlink(path, (e) =>
      e
        ? errnoCode(e) === 'ENOENT'
          ? resolve(false)
          : reject(e)
        : resolve(true),
    ),
  );
}

/** `null` for a missing file (ENOENT); any other error is thrown again. @internal */
export function nullIfMissing(err: unknown): null {
  if (errnoCode(err) === 'ENOENT') return null;
  throw err;
}

/**
 * The buffer of a whole-file read of unknown size, for the async and sync readers alike: read
 * into `chunk` at file offset `position`, then report the count to `took()`. The first chunk
 * (16 KiB) holds Celery's small documents in one read; each later one is 4× larger (at most
 * 64 MiB), until the first read comes back short or a later one reads nothing.
 * @internal
 */
export class WholeFileBuffer {
  /** The buffer the next read fills. */
  chunk = Buffer.allocUnsafe(FIRST_CHUNK);
  /** The file offset of the next read, i.e. the bytes read so far. */
  position = 0;
  /** Every chunk read, once the first one came back full (a large file); else null. */
  private chunks: Buffer[] | null = null;

  /** Record `n` bytes read into `chunk`; `true` once the whole file is read. */
  took(n: number): boolean {
    this.position += n;
    if (this.chunks === null) {
      if (n < this.chunk.length) return true; // the usual case: one short read, no copies
      this.chunks = [this.chunk];
    } else {
      this.chunks.push(this.chunk.subarray(0, n));
      if (n === 0) return true;
    }
    this.chunk = Buffer.allocUnsafe(
      Math.min(this.chunk.length * 4, 64 * 1024 * 1024),
    );
    return false;
  }

  /** The file's bytes. */
  bytes(): Buffer {
    return this.chunks === null
      ? this.chunk.subarray(0, this.position)
      : Buffer.concat(this.chunks, this.position);
  }
}

/** Whole file as bytes, or `null` when it does not exist. @internal */
export async function readFileOrNull(path: string): Promise<Buffer | null> {
  let fd: number;
  try {
    fd = await openFile(path, 'r');
  } catch (e) {
    return nullIfMissing(e);
  }
  try {
    const file = new WholeFileBuffer();
    for (;;) {
      const n = await readInto(fd, file.chunk, file.position);
      if (file.took(n)) return file.bytes();
    }
  } finally {
    await closeFile(fd);
  }
}

/**
 * Write `data` to `tempPath` (created exclusively, so an existing file is never clobbered),
 * then `rename()` it over `target`. Readers see either the old or the new complete file.
 * The temp file is removed when anything fails. No fsync (Celery does not fsync either).
 * @internal
 */
export async function writeFileAtomic(
  target: string,
  tempPath: string,
  data: Buffer,
): Promise<void> {
  const fd = await openFile(tempPath, 'wx', 0o666);
  try {
    let written = 0;
    while (written < data.length) written += await writeFrom(fd, data, written);
  } catch (e) {
    await closeFile(fd).catch(() => undefined);
    await unlinkFile(tempPath).catch(() => undefined);
    throw e;
  }
  try {
    await closeFile(fd);
    await renameFile(tempPath, target);
  } catch (e) {
    await unlinkFile(tempPath).catch(() => undefined);
    throw e;
  }
}
