import type { PostgresqlLayoutName } from './postgresql.options.js';

/**
 * One table layout of the PostgreSQL store (Celery's `DatabaseBackend` or
 * django-celery-results): its statements and how its rows map to and from the library's
 * Celery JSON documents. Task selects return `task_id`, group selects `taskset_id`.
 * @internal
 */
export interface PostgresqlLayout {
  readonly name: PostgresqlLayoutName;
  /** Quoted, schema-qualified task table. */
  readonly task: string;
  /** Quoted, schema-qualified group table. */
  readonly group: string;
  /** Whether reads and writes include the extended (request) columns. */
  readonly extended: boolean;
  /** Name of the task id column (its length limits ids). */
  readonly taskIdColumn: string;
  /** Name of the group id column. */
  readonly groupIdColumn: string;
  /** SQL for the current time in the type of `date_done` (used by `cleanup`). */
  readonly now: string;
  /** How a user creates missing tables, for the error that names them. */
  readonly howToCreate: string;
  selectTasks(): string;
  selectGroups(): string;
  /** Atomic upsert; with `guard`, no row is returned when a stored SUCCESS was kept. */
  upsertTask(guard: boolean): string;
  upsertGroup(): string;
  /** A selected task row as a task document; `MalformedResultError` for a corrupt row. */
  taskRowToText(row: unknown, key: string): string;
  /** A selected group row as a group document. */
  groupRowToText(row: unknown, key: string): string;
  /** The parameters of {@link upsertTask} for a task document. */
  taskParams(taskId: string, text: string, key: string): unknown[];
  /** The parameters of {@link upsertGroup} for a group document. */
  groupParams(groupId: string, text: string, key: string): unknown[];
}
