/**
 * Private stand-ins for the protocol core (`../../protocol/`), used until it lands.
 * Same names and behaviour as the protocol exports, so swapping is an import change.
 * @internal
 */
import { InvalidTaskIdError } from '../../errors/index.js';

/** Key prefix of task meta documents. @internal */
export const TASK_KEY_PREFIX = 'celery-task-meta-';
/** Key prefix of group meta documents. @internal */
export const GROUP_KEY_PREFIX = 'celery-taskset-meta-';
/** Key prefix of the memcached-style chord counter. @internal */
export const CHORD_KEY_PREFIX = 'chord-unlock-';

/** Celery writes `status` first, so a SUCCESS document starts like this. */
const SUCCESS_HEAD = /^\s*\{\s*"status"\s*:\s*"SUCCESS"/;
/** Python's bare non-finite number tokens outside strings, made parseable. */
const NON_FINITE = /("(?:[^"\\]|\\.)*")|-?\bInfinity\b|\bNaN\b/g;

/**
 * Whether a stored raw document has status SUCCESS ("SUCCESS is final").
 * Missing, empty or undecodable text is not SUCCESS.
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

/**
 * Refuse a name that is not one safe file name: empty, `.`, `..`, a path separator, NUL or
 * another control character, or more than 255 UTF-8 bytes. Throws before any disk access.
 * @internal
 */
export function assertFileSafeName(name: string): void {
  const reason = fileNameProblem(name);
  if (reason) throw new InvalidTaskIdError(name, reason);
}

function fileNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'empty name';
  if (name === '.' || name === '..') return 'not a file name';
  if (name.includes('/') || name.includes('\\'))
    return 'contains a path separator';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name))
    return 'contains NUL or a control character';
  if (Buffer.byteLength(name, 'utf8') > 255) return 'longer than 255 bytes';
  return undefined;
}
