/**
 * Celery result tuples (`as_tuple` / `result_from_tuple`, spec §6.1), used in `children`,
 * group meta and chord arguments. Pure helpers.
 */

/**
 * A result reference: a task (no `children`) or a group (with `children`), with an optional
 * parent chain.
 * @publicApi
 */
export interface ResultNode {
  readonly id: string;
  readonly parent: ResultNode | null;
  /** Present for a GroupResult: its members. */
  readonly children?: readonly ResultNode[];
}

/** Deeper parent/member nesting is refused as garbage (protects the stack). */
const MAX_DEPTH = 1000;

/**
 * `[[id, parent], null]` for a task, `[[id, parent], [member, …]]` for a group; `parent` is
 * `null` or the parent's tuple.
 * @publicApi
 */
export function encodeResultTuple(node: ResultNode): unknown {
  const head = [node.id, node.parent ? encodeResultTuple(node.parent) : null];
  return [
    head,
    node.children
      ? node.children.map((child) => encodeResultTuple(child))
      : null,
  ];
}

/**
 * Decode a result tuple: `[head, nodes]` where `head` is `[id, parent]` or a bare id string
 * and non-null `nodes` makes a group. Throws a `TypeError` on anything else.
 * @publicApi
 */
export function decodeResultTuple(value: unknown): ResultNode {
  return decodeAt(value, 0);
}

function decodeAt(value: unknown, depth: number): ResultNode {
  if (depth > MAX_DEPTH) throw new TypeError('Result tuple nested too deeply');
  if (!Array.isArray(value) || value.length !== 2) {
    throw new TypeError('A result tuple must be a [head, nodes] pair');
  }
  const [head, nodes] = value as [unknown, unknown];
  let id: unknown = head;
  let parentValue: unknown = null;
  if (Array.isArray(head)) {
    if (head.length !== 2)
      throw new TypeError('A result tuple head must be [id, parent]');
    [id, parentValue] = head as [unknown, unknown];
  }
  if (typeof id !== 'string')
    throw new TypeError('A result tuple id must be a string');
  const parent = parentValue ? decodeAt(parentValue, depth + 1) : null;
  if (nodes === null || nodes === undefined) return { id, parent };
  if (!Array.isArray(nodes))
    throw new TypeError('Group result members must be an array');
  return {
    id,
    parent,
    children: nodes.map((child: unknown) => decodeAt(child, depth + 1)),
  };
}
