import type { ResultNode } from '../protocol/result-tuple.js';
import type { TaskMetaRequest } from '../protocol/task-meta.js';

/** Optional parts of a stored result. @publicApi */
export interface StoreResultOptions {
  /** Traceback text; for failures defaults to the error's Python traceback or JS stack. */
  traceback?: string | null;
  /** Extended fields, written only when given (like Celery with `result_extended`). */
  request?: TaskMetaRequest;
  /** `group_id` field. */
  groupId?: string;
  /** `parent_id` field. */
  parentId?: string;
  /** `children` result tuples; default `null` (written outside a worker, as Celery does). */
  children?: readonly ResultNode[] | null;
}

/** Options of `watch()` and `watchMany()`. @publicApi */
export interface WatchOptions {
  /** Poll interval in ms for stores without push (default: the module's `pollIntervalMs`); finite, ≥ 0. */
  interval?: number;
  /**
   * Give up after this many ms with `ResultTimeoutError`: one deadline for the whole call (default
   * or `Infinity`: wait forever; values past 2^31 ms are honoured). `waitFor`/`join` read once
   * first, and a shorter timeout does not cut that read short (capped at 1 s), so `0` returns a
   * result that is already ready, else fails with `ResultTimeoutError` (unlike Celery, whose
   * `get(timeout=0)` waits forever: 0 is falsy in `wait_for`). `NaN`, negative or non-number:
   * `RangeError`/`TypeError` at call time.
   */
  timeout?: number;
  /**
   * Stop waiting when this signal aborts (e.g. the HTTP client went away): the watch errors,
   * or the promise rejects, with `signal.reason` (an `AbortError` `DOMException` by default),
   * and the task's subscription is released at once.
   */
  signal?: AbortSignal;
}

/** Options of `waitFor()` and `join()`. @publicApi */
export interface WaitOptions extends WatchOptions {
  /** Reject with `TaskFailedError`/`TaskRevokedError` for FAILURE/REVOKED (default true). */
  propagate?: boolean;
}

/** Options of `onChordPartReturn`. @publicApi */
export interface ChordPartOptions {
  /** The member's position in the header (`request.group_index`); Redis sorts parts by it. */
  index?: number;
  /** Header size (`chord_size`); default: from the store (`.s`) or the saved group. */
  size?: number;
  /** Header member ids, for stores that poll (filesystem, S3, CouchDB) when no group was saved. */
  memberIds?: readonly string[];
}

/** What `onChordPartReturn` reports. @publicApi */
export interface ChordPartResult {
  /** True exactly once, for the part that completed the header (where the store can tell). */
  readonly complete: boolean;
  /** Header results in order, when complete. */
  readonly results?: readonly unknown[];
  /** The first failed header part, when complete and one failed (Celery raises ChordError). */
  readonly failed?: {
    readonly taskId: string;
    readonly state: string;
    readonly result: unknown;
  };
}
