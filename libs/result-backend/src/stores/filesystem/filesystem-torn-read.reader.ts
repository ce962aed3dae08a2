/**
 * Reading a file another process may be rewriting in place. Celery's filesystem backend opens
 * the file with `'wb'` (truncate) and then writes, so a reader can see an empty file or the
 * first bytes of the new document. Such bytes are a write in progress, not a result: re-read
 * shortly, and give the bytes back as they are only once the same bytes stayed bad for a
 * grace period (then they really are what is stored: empty reads as PENDING, garbage fails
 * with `MalformedResultError` when decoded).
 */
import { stat } from 'node:fs/promises';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';

/** Timing of {@link readSettled}. @internal */
export interface TornReadTiming {
  /** How long the same incomplete bytes must stay before they are returned, ms. */
  readonly graceMs: number;
  /** Give up (BackendUnavailableError) when the bytes keep changing and never parse, ms. */
  readonly maxMs: number;
}

/** Default grace: a Celery write of even megabytes finishes well within a second. */
export const DEFAULT_TORN_READ: TornReadTiming = {
  graceMs: 1000,
  maxMs: 10_000,
};

const FIRST_RETRY_MS = 5;
const MAX_RETRY_MS = 100;

/**
 * Missing, a whole JSON object or array (what Celery writes, NaN/Infinity included), or
 * bytes that are no JSON document at all (Celery's self-test probe, a pickle): those are
 * what they are, not a document being written. "Whole" is checked by a byte scan for the
 * bracket that closes the first one, outside strings, as the last non-blank byte: a prefix
 * of a JSON document cut anywhere earlier never has it. Whether the text is valid JSON is
 * left to the decoder, which reads it next anyway (parsing it here too cost a third of
 * the read path's throughput).
 * @internal
 */
export function isSettled(bytes: Buffer | null): boolean {
  if (bytes === null) return true;
  if (bytes.length === 0) return false;
  if (bytes[0] !== 0x7b && bytes[0] !== 0x5b) return true; // not `{` or `[`
  return closesAtEnd(bytes);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when the bracket opened by byte 0 closes at the last non-blank byte. */
function closesAtEnd(bytes: Buffer): boolean {
  let depth = 0;
  let inString = false;
  let end = bytes.length;
  while (end > 0 && isBlank(bytes[end - 1])) end--;
  for (let i = 0; i < end; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) {
      depth--;
      if (depth === 0) return i === end - 1;
    }
  }
  return false;
}

function isBlank(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

const sleep = (ms: number): Promise<void> =>
  new Promise((r) => setTimeout(r, ms));

/** Modification time (ns) and size: a rewrite with the same bad bytes still changes it. */
async function stamp(path: string): Promise<string> {
  try {
    const s = await stat(path, { bigint: true });
    return `${s.mtimeNs}:${s.size}:${s.ino}`;
  } catch {
    return 'gone';
  }
}

/**
 * Read `path` until it is missing or holds a whole JSON document; bytes that stay bad, with
 * the file unmodified (same bytes, mtime and size), for `graceMs` are returned as they are.
 * Sampling alone is not enough: a file Celery rewrites in a loop is empty most of the time
 * (measured: 99.5 % of reads during a 300 KB rewrite loop). Re-reads back off from 5 to 100 ms.
 * @throws BackendUnavailableError when the file keeps changing without ever parsing for `maxMs`.
 * @internal
 */
export function readSettled(
  path: string,
  read: (path: string) => Promise<Buffer | null>,
  timing: TornReadTiming,
  description: string,
): Promise<Buffer | null> {
  // Not `async`: the common case (one read of a whole document) takes no extra promise hop.
  return read(path).then((bytes) =>
    isSettled(bytes)
      ? bytes
      : settleTornRead(path, bytes, read, timing, description),
  );
}

/** {@link readSettled} after a first read that was not settled ({@link isSettled}). @internal */
export async function settleTornRead(
  path: string,
  first: Buffer | null,
  read: (path: string) => Promise<Buffer | null>,
  timing: TornReadTiming,
  description: string,
): Promise<Buffer | null> {
  let bytes = first;
  let version = await stamp(path);
  const start = Date.now();
  let badSince = start;
  let delay = FIRST_RETRY_MS;
  for (;;) {
    await sleep(delay);
    delay = Math.min(delay * 2, MAX_RETRY_MS);
    const next = await read(path);
    if (isSettled(next)) return next;
    const now = Date.now();
    const nextVersion = await stamp(path);
    if (!bytes || !next || !next.equals(bytes) || nextVersion !== version) {
      bytes = next;
      version = nextVersion;
      badSince = now;
    } else if (now - badSince >= timing.graceMs) return next;
    if (now - start >= timing.maxMs)
      throw new BackendUnavailableError(
        description,
        `${path} kept changing for ${timing.maxMs} ms without holding a whole document`,
      );
  }
}
