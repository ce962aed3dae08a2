/**
 * Group meta documents (`GroupResult.save()` / `restore()`, spec §6.2):
 * `{"result": [[gid, null], [member tuples…]]}` under `celery-taskset-meta-<gid>`.
 */
import { stringifyCeleryJson } from './celery-json.encoder.js';
import { malformed, parseStoredJson } from './malformed.errors.js';
import {
  decodeResultTuple,
  encodeResultTuple,
  type ResultNode,
} from './result-tuple.js';

/** A restored group: its id and member results, in saved order. @publicApi */
export interface GroupMeta {
  readonly groupId: string;
  readonly results: ResultNode[];
}

/**
 * The bytes Celery 5.2.6 stores for a saved group. Members are task ids (no parent) or
 * full result nodes.
 * @publicApi
 */
export function encodeGroupMeta(
  groupId: string,
  members: readonly (string | ResultNode)[],
): string {
  const children = members.map((m): ResultNode =>
    typeof m === 'string' ? { id: m, parent: null } : m,
  );
  return stringifyCeleryJson({
    result: encodeResultTuple({ id: groupId, parent: null, children }),
  });
}

/**
 * Decode a stored group document. `null` or empty text (no such key) gives `null`;
 * anything that is not `{"result": <group tuple>}` throws a `MalformedResultError`.
 * @publicApi
 */
export function decodeGroupMeta(
  key: string,
  raw: string | null,
): GroupMeta | null {
  if (raw === null || raw === '') return null;
  const doc = parseStoredJson(key, raw, false);
  if (
    !doc ||
    typeof doc !== 'object' ||
    Array.isArray(doc) ||
    !('result' in doc)
  ) {
    throw malformed(
      key,
      'group meta must be an object with a "result" field',
      raw,
    );
  }
  let node: ResultNode;
  try {
    node = decodeResultTuple(doc.result);
  } catch (err) {
    throw malformed(
      key,
      `bad group result tuple (${(err as Error).message})`,
      raw,
      err,
    );
  }
  if (!node.children)
    throw malformed(key, 'the saved result is not a group', raw);
  return { groupId: node.id, results: [...node.children] };
}
