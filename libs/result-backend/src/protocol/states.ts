/**
 * Celery task states (`celery.states`), their sets and precedence. Pure data, no I/O.
 */

/**
 * The built-in Celery states. Any other string is a legal custom state (e.g. `PROGRESS`).
 * @publicApi
 */
export const TaskStates = {
  PENDING: 'PENDING',
  RECEIVED: 'RECEIVED',
  STARTED: 'STARTED',
  SUCCESS: 'SUCCESS',
  FAILURE: 'FAILURE',
  REVOKED: 'REVOKED',
  RETRY: 'RETRY',
  REJECTED: 'REJECTED',
  IGNORED: 'IGNORED',
} as const;

/** One of Celery's built-in state names. @publicApi */
export type KnownTaskState = (typeof TaskStates)[keyof typeof TaskStates];

/** A Celery state: a built-in one or any custom string. @publicApi */
export type TaskStatus = KnownTaskState | (string & {});

const { PENDING, RECEIVED, STARTED, REJECTED, RETRY } = TaskStates;
const { SUCCESS, FAILURE, REVOKED } = TaskStates;

/**
 * Celery's state groups, member for member as `celery/states.py` (5.x) defines its frozensets;
 * the exported sets below are built from it.
 */
const STATE_GROUPS = {
  READY: [SUCCESS, FAILURE, REVOKED],
  UNREADY: [PENDING, RECEIVED, STARTED, REJECTED, RETRY],
  EXCEPTION: [RETRY, FAILURE, REVOKED],
  PROPAGATE: [FAILURE, REVOKED],
  ALL: [PENDING, RECEIVED, STARTED, SUCCESS, FAILURE, RETRY, REVOKED],
} as const satisfies Record<string, readonly KnownTaskState[]>;

/** States after which nothing changes: SUCCESS, FAILURE, REVOKED. @publicApi */
export const READY_STATES: ReadonlySet<string> = new Set(STATE_GROUPS.READY);

/** PENDING, RECEIVED, STARTED, REJECTED, RETRY. @publicApi */
export const UNREADY_STATES: ReadonlySet<string> = new Set(
  STATE_GROUPS.UNREADY,
);

/** States whose `result` is an exception dict: RETRY, FAILURE, REVOKED. @publicApi */
export const EXCEPTION_STATES: ReadonlySet<string> = new Set(
  STATE_GROUPS.EXCEPTION,
);

/** States for which Celery's `get()` raises: FAILURE, REVOKED. @publicApi */
export const PROPAGATE_STATES: ReadonlySet<string> = new Set(
  STATE_GROUPS.PROPAGATE,
);

/** Celery's `ALL_STATES` (REJECTED and IGNORED are not in it). @publicApi */
export const ALL_STATES: ReadonlySet<string> = new Set(STATE_GROUPS.ALL);

/** Celery's `PRECEDENCE` list, strongest first; `null` is the slot of unknown/custom states. */
const PRECEDENCE: readonly (string | null)[] = [
  'SUCCESS',
  'FAILURE',
  null,
  'REVOKED',
  'STARTED',
  'RECEIVED',
  'REJECTED',
  'RETRY',
  'PENDING',
];

/** Index of a custom (unknown) state in the precedence list. */
const CUSTOM_SLOT = PRECEDENCE.indexOf(null);

/** True for SUCCESS, FAILURE and REVOKED. @publicApi */
export function isReadyState(state: string): boolean {
  return READY_STATES.has(state);
}

/** True for RETRY, FAILURE and REVOKED (the stored result is an exception). @publicApi */
export function isExceptionState(state: string): boolean {
  return EXCEPTION_STATES.has(state);
}

/** True for FAILURE and REVOKED (Celery's `get()` raises). @publicApi */
export function isPropagateState(state: string): boolean {
  return PROPAGATE_STATES.has(state);
}

/**
 * Index of `state` in Celery's precedence list (0 = strongest); unknown and custom states
 * rank at the custom slot, 2.
 * @publicApi
 */
export function statePrecedence(state: string): number {
  const index = PRECEDENCE.indexOf(state);
  return index < 0 ? CUSTOM_SLOT : index;
}

/**
 * Compare two states like Celery's `state` class: positive when `a` is "greater" (has the
 * stronger precedence), negative when weaker, 0 when equal rank. `PROGRESS > STARTED`,
 * `PROGRESS < SUCCESS`.
 * @publicApi
 */
export function compareStates(a: string, b: string): number {
  return statePrecedence(b) - statePrecedence(a);
}
