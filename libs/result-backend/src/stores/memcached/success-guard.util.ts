/**
 * Private stand-in for the protocol core's `isSuccessDocument`, used until `../../protocol/`
 * exports it; same name and behaviour, so swapping is an import change.
 */

/** Celery writes `status` first, so a SUCCESS document starts like this. */
const SUCCESS_HEAD = /^\s*\{\s*"status"\s*:\s*"SUCCESS"/;
/** Python's bare non-finite number tokens outside strings, made parseable. */
const NON_FINITE = /("(?:[^"\\]|\\.)*")|-?\bInfinity\b|\bNaN\b/g;

/**
 * Whether a stored raw document has status SUCCESS ("SUCCESS is final"). Missing, empty or
 * undecodable text is not SUCCESS.
 * @internal
 */
export function isSuccessDocument(raw: string | null): boolean {
  if (!raw) return false;
  if (SUCCESS_HEAD.test(raw)) return true;
  if (!raw.includes('"SUCCESS"')) return false;
  try {
    const parsed: unknown = JSON.parse(
      raw.replace(NON_FINITE, (m, str: string | undefined) => str ?? 'null'),
    );
    return (
      typeof parsed === 'object' &&
      parsed !== null &&
      (parsed as { status?: unknown }).status === 'SUCCESS'
    );
  } catch {
    return false;
  }
}
