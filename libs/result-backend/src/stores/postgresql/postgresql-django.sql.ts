/**
 * SQL of django-celery-results' tables (django_celery_results/models.py, 2.4.0–2.6.0), as its
 * Django migrations create them: `django_celery_results_taskresult` (`task_id` unique,
 * `date_created`/`date_done` `timestamptz`, `result`/`meta`/`task_args`/`task_kwargs` text) and
 * `django_celery_results_groupresult` (`group_id` unique). Tables come from the migrations,
 * never from this library. Identifiers are validated by the URL parser and always quoted.
 */
import type { PostgresqlBackendConfig } from './postgresql.options.js';
import {
  djangoGroupRowToText,
  djangoGroupTextToParams,
  djangoTaskRowToText,
  djangoTaskTextToParams,
  type DjangoGroupRow,
  type DjangoTaskRow,
} from './postgresql-django.rows.js';
import type { PostgresqlLayout } from './postgresql-layout.interface.js';
import { qualifiedName } from './postgresql.sql.js';

/** The columns of a task row a write sets, in parameter order after `task_id`. */
const TASK_COLUMNS = [
  'status',
  'content_type',
  'content_encoding',
  'result',
  'date_done',
  'traceback',
  'meta',
  'task_name',
  'task_args',
  'task_kwargs',
  'worker',
  'periodic_task_name',
] as const;

/** django-celery-results' layout: statements and row mapping. @internal */
export class DjangoSql implements PostgresqlLayout {
  readonly name = 'django' as const;
  readonly task: string;
  readonly group: string;
  /** Extended columns are part of the model: always read and written. */
  readonly extended = true;
  readonly taskIdColumn = 'task_id';
  readonly groupIdColumn = 'group_id';
  /** `date_done` is a `timestamptz`. */
  readonly now = 'now()';
  readonly howToCreate =
    "run django-celery-results' migrations (python manage.py migrate django_celery_results)";

  /**
   * @param dateStarted the table has 2.6.0's `date_started` column (migration 0012): a STARTED
   *   write sets it to now(), later writes keep it, as its `store_result` does.
   */
  constructor(
    config: PostgresqlBackendConfig,
    private readonly dateStarted = false,
  ) {
    this.task = qualifiedName(config.taskSchema, config.taskTable);
    this.group = qualifiedName(config.groupSchema, config.groupTable);
  }

  /** One query for any number of task ids; `date_done` as UTC text (microseconds kept). */
  selectTasks(): string {
    return (
      'SELECT task_id, status, content_type, content_encoding, result, ' +
      "(date_done AT TIME ZONE 'UTC')::text AS date_done, traceback, meta, task_name, " +
      `task_args, task_kwargs, worker, periodic_task_name FROM ${this.task} WHERE task_id = ANY($1::text[])`
    );
  }

  /** One query for any number of group ids (`group_id` named `taskset_id` for the store). */
  selectGroups(): string {
    return `SELECT group_id AS taskset_id, content_type, content_encoding, result FROM ${this.group} WHERE group_id = ANY($1::text[])`;
  }

  /**
   * Atomic upsert of a task row (Django's `store_result` does get_or_create then save). A new
   * row gets `date_created = now()`; `date_done` is the document's, or now() as Django's
   * `auto_now` sets it (and `date_started` on STARTED, when the column exists). With `guard`, a stored SUCCESS is never overwritten (no row returned).
   */
  upsertTask(guard: boolean): string {
    const values = TASK_COLUMNS.map((c, i) =>
      c === 'date_done'
        ? `COALESCE($${i + 2}::timestamptz, now())`
        : `$${i + 2}`,
    );
    const set = TASK_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`);
    const columns = ['task_id', 'date_created', ...TASK_COLUMNS];
    if (this.dateStarted) {
      columns.push('date_started');
      values.push("CASE WHEN $2::varchar = 'STARTED' THEN now() END");
      set.push(
        "date_started = CASE WHEN EXCLUDED.status = 'STARTED' THEN now() ELSE t.date_started END",
      );
    }
    return (
      `INSERT INTO ${this.task} AS t (${columns.join(', ')}) ` +
      `VALUES ($1, now(), ${values.join(', ')}) ON CONFLICT (task_id) DO UPDATE SET ${set.join(', ')}` +
      (guard ? ` WHERE t.status IS DISTINCT FROM 'SUCCESS'` : '') +
      ' RETURNING 1'
    );
  }

  /** Upsert of a saved group (`store_group_result`): `date_done` is now(), as `auto_now`. */
  upsertGroup(): string {
    return (
      `INSERT INTO ${this.group} (group_id, date_created, date_done, content_type, content_encoding, result) ` +
      'VALUES ($1, now(), now(), $2, $3, $4) ON CONFLICT (group_id) DO UPDATE SET ' +
      'date_done = now(), content_type = EXCLUDED.content_type, content_encoding = EXCLUDED.content_encoding, result = EXCLUDED.result'
    );
  }

  taskRowToText(row: unknown, key: string): string {
    return djangoTaskRowToText(row as DjangoTaskRow, key);
  }

  groupRowToText(row: unknown, key: string): string {
    return djangoGroupRowToText(row as DjangoGroupRow, key);
  }

  taskParams(taskId: string, text: string, key: string): unknown[] {
    return djangoTaskTextToParams(taskId, text, key);
  }

  groupParams(groupId: string, text: string, key: string): unknown[] {
    return djangoGroupTextToParams(groupId, text, key);
  }
}
