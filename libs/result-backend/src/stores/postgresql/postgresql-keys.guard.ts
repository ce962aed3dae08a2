/**
 * Store keys of the PostgreSQL store → table and id, and the id length check of
 * `validateKey` (the id columns are `varchar`: Celery's 155, django-celery-results' 255).
 */
import { InvalidTaskIdError } from '../../errors/invalid-task-id.error.js';
import { UnsupportedOperationError } from '../../errors/unsupported-operation.error.js';
import {
  CHORD_KEY_PREFIX,
  GROUP_KEY_PREFIX,
  TASK_KEY_PREFIX,
} from '../../protocol/index.js';

/** The table and id a key names. @internal */
export interface PgTarget {
  readonly table: 'task' | 'group';
  readonly id: string;
}

/** `varchar` lengths of the id columns (`null`: unbounded) and their names for messages. @internal */
export interface IdLimits {
  readonly task: number | null;
  readonly group: number | null;
  readonly taskColumn: string;
  readonly groupColumn: string;
}

const PREFIXES = [
  [TASK_KEY_PREFIX, 'task'],
  [GROUP_KEY_PREFIX, 'group'],
  [CHORD_KEY_PREFIX, 'chord'],
] as const;

/** The first Celery prefix in the key (after any global prefix) and the id after it. */
function split(key: string): { kind: 'task' | 'group' | 'chord'; id: string } {
  let best: {
    at: number;
    kind: 'task' | 'group' | 'chord';
    id: string;
  } | null = null;
  for (const [prefix, kind] of PREFIXES) {
    const at = key.indexOf(prefix);
    if (at >= 0 && (best === null || at < best.at))
      best = { at, kind, id: key.slice(at + prefix.length) };
  }
  if (!best)
    throw new UnsupportedOperationError(
      `the key ${key.slice(0, 80)}`,
      'postgresql',
    );
  return best;
}

/** Which table and id a task or group key names (chord keys have no table). @internal */
export function targetOf(key: string): PgTarget {
  const { kind, id } = split(key);
  if (kind === 'chord')
    throw new UnsupportedOperationError(
      `the key ${key.slice(0, 80)}`,
      'postgresql',
    );
  return { table: kind, id };
}

/**
 * Throws `InvalidTaskIdError` when the id in `key` is longer (in characters, as `varchar`
 * counts) than its column: a chord key's group id against the group id column.
 * @internal
 */
export function checkIdLength(key: string, limits: IdLimits): void {
  const { kind, id } = split(key);
  const task = kind === 'task';
  const max = task ? limits.task : limits.group;
  if (max !== null && [...id].length > max)
    throw new InvalidTaskIdError(
      id,
      `longer than the ${max} characters of ${task ? limits.taskColumn : limits.groupColumn}`,
    );
}
