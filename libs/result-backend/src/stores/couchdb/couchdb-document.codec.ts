/**
 * Celery's CouchDB document: `{"_id": <key>, "value": "<meta JSON as a string>"}`; the meta
 * is double-encoded. Pure helpers, shared by the store and the vector tests.
 */
import { MalformedResultError } from '../../errors/malformed-result.error.js';

/** The document body Celery writes for `key` (add `_rev` when updating). @internal */
export function encodeCouchDocument(
  key: string,
  value: string,
  rev?: string,
): Record<string, string> {
  return rev ? { _id: key, _rev: rev, value } : { _id: key, value };
}

/**
 * Celery's payload from a CouchDB document (a parsed object or its JSON text): the `value`
 * string. A document without a string `value` is malformed.
 * @internal
 */
export function decodeCouchDocument(key: string, doc: unknown): string {
  const body: unknown =
    typeof doc === 'string' ? (JSON.parse(doc) as unknown) : doc;
  if (
    body &&
    typeof body === 'object' &&
    typeof (body as { value?: unknown }).value === 'string'
  ) {
    return (body as { value: string }).value;
  }
  throw new MalformedResultError(
    key,
    'CouchDB document has no string "value" field',
  );
}
