/**
 * Store key names (spec §3) and id validation. Pure helpers.
 */
import { InvalidTaskIdError } from '../errors/invalid-task-id.error.js';

/** Prefix of task meta keys. @publicApi */
export const TASK_KEY_PREFIX = 'celery-task-meta-';
/** Prefix of group meta keys (and of Redis chord `.j`/`.t`/`.s` keys). @publicApi */
export const GROUP_KEY_PREFIX = 'celery-taskset-meta-';
/** Prefix of the memcached chord counter. @publicApi */
export const CHORD_KEY_PREFIX = 'chord-unlock-';

/** Longest id (and file name) accepted, in UTF-8 bytes. */
const MAX_BYTES = 255;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\x00-\x1f\x7f]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** UTF-8 length of a JS string (lone surrogates count 3 bytes, as in WTF-8). @internal */
function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Builds store keys. With a global prefix (Celery 5.3+ `global_keyprefix`) every prefix is
 * preceded by it and a separator: style `'5.5'` (default) adds `_` unless the prefix already
 * ends with `:`, `_`, `-` or `.`; style `'5.3'` (Celery 5.3/5.4) always adds `_`.
 * @publicApi
 */
export class KeyBuilder {
  readonly taskPrefix: string;
  readonly groupPrefix: string;
  readonly chordPrefix: string;

  constructor(globalPrefix = '', style: '5.5' | '5.3' = '5.5') {
    let head = globalPrefix;
    if (head !== '' && (style === '5.3' || !/[:_\-.]$/.test(head))) head += '_';
    this.taskPrefix = head + TASK_KEY_PREFIX;
    this.groupPrefix = head + GROUP_KEY_PREFIX;
    this.chordPrefix = head + CHORD_KEY_PREFIX;
  }

  /** `<prefix>celery-task-meta-<id>`. */
  taskKey(id: string): string {
    return this.taskPrefix + id;
  }

  /** `<prefix>celery-taskset-meta-<id>`. */
  groupKey(id: string): string {
    return this.groupPrefix + id;
  }

  /** `<prefix>chord-unlock-<id>`. */
  chordKey(id: string): string {
    return this.chordPrefix + id;
  }

  /** The task id of a task meta key, or `null` when the key is not one. */
  idFromTaskKey(key: string): string | null {
    return key.startsWith(this.taskPrefix) &&
      key.length > this.taskPrefix.length
      ? key.slice(this.taskPrefix.length)
      : null;
  }
}

/**
 * Refuse ids no store can use safely: non-strings, empty, over 255 UTF-8 bytes, holding
 * NUL, another C0 control character or DEL, or a lone UTF-16 surrogate (no UTF-8 form: it
 * would be written as U+FFFD and never read back). Path separators are allowed here (Redis
 * ids may contain `/`); each store adds its own key rules (`ResultStore.validateKey`).
 * @publicApi
 */
export function validateId(
  id: unknown,
  what: 'task' | 'group' = 'task',
): asserts id is string {
  if (typeof id !== 'string') {
    throw new InvalidTaskIdError(
      String(id),
      `${what} id must be a string, got ${typeof id}`,
    );
  }
  if (id === '') throw new InvalidTaskIdError(id, `${what} id is empty`);
  if (utf8Length(id) > MAX_BYTES) {
    throw new InvalidTaskIdError(
      id,
      `${what} id is longer than ${MAX_BYTES} UTF-8 bytes`,
    );
  }
  if (CONTROL_CHARS.test(id)) {
    throw new InvalidTaskIdError(id, `${what} id contains a control character`);
  }
  if (LONE_SURROGATE.test(id)) {
    throw new InvalidTaskIdError(
      id,
      `${what} id contains a lone UTF-16 surrogate (not valid Unicode)`,
    );
  }
}

/**
 * For file names (filesystem store): besides the checks of {@link validateId}, refuse `/`,
 * `\`, `.` and `..` and names over 255 UTF-8 bytes, so a name can never leave its directory.
 * @publicApi
 */
export function assertFileSafeName(name: string): void {
  validateId(name);
  if (name === '.' || name === '..')
    throw new InvalidTaskIdError(name, 'name is "." or ".."');
  if (/[/\\]/.test(name))
    throw new InvalidTaskIdError(name, 'name contains a path separator');
}
