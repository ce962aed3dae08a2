import { maskUrl } from '../config/mask-url.util.js';

/** Longest error message reported in a health result. @internal */
const MAX_MESSAGE_LENGTH = 300;

/**
 * A one-line, masked description of why a ping failed: the error's message with every URL
 * password hidden, cut to 300 characters. Never throws.
 * @internal
 */
export function healthErrorMessage(err: unknown): string {
  let text: string;
  try {
    text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } catch {
    text = 'unknown error';
  }
  const oneLine = maskUrl(text).replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_MESSAGE_LENGTH
    ? `${oneLine.slice(0, MAX_MESSAGE_LENGTH - 1)}…`
    : oneLine;
}

/**
 * Settle with `work`, or reject with `Error('ping timed out after N ms')` after `timeoutMs`.
 * The timer is always cleared; a late rejection of `work` is swallowed.
 * @internal
 */
export async function withTimeout<T>(
  work: Promise<T>,
  timeoutMs: number,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`ping timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
