/**
 * The little the CouchDB store needs to know about Celery's meta inside a document's `value`:
 * whether it is SUCCESS (the "SUCCESS is final" guard) and when a ready result was done
 * (`cleanup`). Pure; never throws; never evaluates anything.
 */
import { parseCeleryJson } from '../../protocol/celery-json.parser.js';
import { parseDateDone } from '../../protocol/date-done.js';
import { READY_STATES } from '../../protocol/states.js';
import { isSuccessDocument } from '../../protocol/task-meta.decoder.js';

/** The decoded top-level object of a meta text, or `null` when it is not a JSON object. */
function topLevel(raw: string): Record<string, unknown> | null {
  try {
    const parsed = parseCeleryJson(raw);
    return typeof parsed === 'object' &&
      parsed !== null &&
      !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Whether a stored meta text has status SUCCESS. Missing, empty or undecodable text is not.
 * @internal
 */
export function isSuccessValue(raw: string | null | undefined): boolean {
  return isSuccessDocument(raw ?? null);
}

/**
 * When a ready result (SUCCESS, FAILURE, REVOKED) was done, from its `date_done`; `null` for
 * anything else (pending states, group meta, undecodable text, no or bad `date_done`), which
 * `cleanup` therefore never removes.
 * @internal
 */
export function readyDoneAt(raw: string): Date | null {
  if (!raw.includes('date_done')) return null;
  const meta = topLevel(raw);
  if (
    !meta ||
    typeof meta.status !== 'string' ||
    !READY_STATES.has(meta.status)
  )
    return null;
  return typeof meta.date_done === 'string'
    ? parseDateDone(meta.date_done)
    : null;
}
