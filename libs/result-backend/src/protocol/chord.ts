/**
 * Redis chord `.j` sorted-set members: `[1, "<task id>", "<STATE>", <result>]` (spec §6.3).
 */
import { stringifyCeleryJson } from './celery-json.encoder.js';
import type { CeleryJsonWriteOptions } from './celery-json.encoder.js';
import { toStoredExceptionResult } from './exception-dict.encoder.js';
import { malformed, parseStoredJson } from './malformed.errors.js';

/** A decoded chord part entry. @publicApi */
export interface ChordEntry {
  readonly taskId: string;
  readonly state: string;
  /** The part's result as stored (the exception dict for exception states). */
  readonly result: unknown;
}

/**
 * The member bytes a finished chord part adds to `celery-taskset-meta-<gid>.j`. The result
 * of an exception state goes through `toStoredExceptionResult`, as Celery's
 * `on_chord_part_return` calls `encode_result` (celery/backends/redis.py).
 * `options.kombuTagged` writes Celery 5.3+ forms (envelopes), as for task documents.
 * @publicApi
 */
export function encodeChordEntry(
  taskId: string,
  state: string,
  result: unknown,
  options?: Pick<CeleryJsonWriteOptions, 'kombuTagged'>,
): string {
  const value = toStoredExceptionResult(state, result);
  return stringifyCeleryJson([1, taskId, state, value], {
    kombuTagged: options?.kombuTagged === true,
    path: 'entry',
  });
}

/** Options of {@link decodeChordEntry}. @publicApi */
export interface DecodeChordEntryOptions {
  /** Decode kombu ≥ 5.3 envelopes into typed values, like task documents. Default true. */
  readonly decodeEnvelopes?: boolean;
}

/**
 * Decode a `.j` member; kombu envelopes in the result (Celery 5.3+) become typed values, as
 * in `decodeTaskMeta`. Anything other than `[1, id, state, result]`, or an unknown envelope
 * type, throws a `MalformedResultError` naming `key` (default `chord entry`).
 * @publicApi
 */
export function decodeChordEntry(
  text: string,
  key = 'chord entry',
  options?: DecodeChordEntryOptions,
): ChordEntry {
  const value = parseStoredJson(key, text, options?.decodeEnvelopes !== false);
  if (
    !Array.isArray(value) ||
    value.length !== 4 ||
    value[0] !== 1 ||
    typeof value[1] !== 'string' ||
    typeof value[2] !== 'string'
  ) {
    throw malformed(
      key,
      'a chord entry must be [1, task_id, state, result]',
      text,
    );
  }
  return { taskId: value[1], state: value[2], result: value[3] as unknown };
}
