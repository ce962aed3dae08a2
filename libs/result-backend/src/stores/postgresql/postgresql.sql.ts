/**
 * SQL of Celery's SQLAlchemy `DatabaseBackend` layout (celery/backends/database/models.py):
 * `celery_taskmeta` (sequence `task_id_sequence`) and `celery_tasksetmeta` (sequence
 * `taskset_id_sequence`), names and schemas configurable. Identifiers are validated by the URL
 * parser and always quoted here.
 */
import { EXTENDED_META_FIELDS } from '../../protocol/task-meta-fields.constants.js';
import type { PostgresqlBackendConfig } from './postgresql.options.js';
import type { PostgresqlLayout } from './postgresql-layout.interface.js';
import {
  groupRowToText,
  groupTextToParams,
  taskRowToText,
  taskTextToParams,
  type GroupRow,
  type TaskRow,
} from './postgresql.rows.js';

/** The extended-result columns (`result_extended`), in Celery's order. @internal */
export const EXTENDED_COLUMNS = EXTENDED_META_FIELDS;

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."name"`, or `"name"` on the search path. @internal */
export function qualifiedName(schema: string | null, name: string): string {
  return schema ? `${quote(schema)}.${quote(name)}` : quote(name);
}
const qualified = qualifiedName;

/** `DELETE` of one task or group row by id. @internal */
export function deleteSql(
  layout: PostgresqlLayout,
  table: 'task' | 'group',
): string {
  return table === 'task'
    ? `DELETE FROM ${layout.task} WHERE ${layout.taskIdColumn} = $1`
    : `DELETE FROM ${layout.group} WHERE ${layout.groupIdColumn} = $1`;
}

/**
 * Celery's `cleanup()` / django-celery-results' `delete_expired`: rows whose `date_done` is
 * older than `$1` seconds. @internal
 */
export function cleanupSql(
  layout: PostgresqlLayout,
  table: 'task' | 'group',
): string {
  return `DELETE FROM ${table === 'task' ? layout.task : layout.group} WHERE date_done < ${layout.now} - make_interval(secs => $1)`;
}

/** Every statement the store runs, for one table configuration of Celery's layout. @internal */
export class PostgresqlSql implements PostgresqlLayout {
  readonly name = 'celery' as const;
  readonly taskIdColumn = 'task_id';
  readonly groupIdColumn = 'taskset_id';
  /** `date_done` is a naive-UTC `timestamp`. */
  readonly now = "(now() AT TIME ZONE 'UTC')";
  readonly howToCreate =
    "create it with the option postgresql.createTables: true (Celery's database_create_tables_at_setup), or start a Celery worker with the database backend once";
  /** Quoted, schema-qualified task table. */
  readonly task: string;
  /** Quoted, schema-qualified group table. */
  readonly group: string;
  private readonly taskSeq: string;
  private readonly groupSeq: string;

  constructor(
    private readonly config: PostgresqlBackendConfig,
    /** Whether reads and writes include the extended columns. */
    readonly extended: boolean,
  ) {
    this.task = qualified(config.taskSchema, config.taskTable);
    this.group = qualified(config.groupSchema, config.groupTable);
    this.taskSeq = qualified(config.taskSchema, 'task_id_sequence');
    this.groupSeq = qualified(config.groupSchema, 'taskset_id_sequence');
  }

  /** Columns the task reads select (`date_done` as text keeps the microseconds). */
  private taskColumns(): string {
    const ext = this.extended ? `, ${EXTENDED_COLUMNS.join(', ')}` : '';
    return `task_id, status, result, date_done::text AS date_done, traceback${ext}`;
  }

  /** One query for any number of task ids. */
  selectTasks(): string {
    return `SELECT ${this.taskColumns()} FROM ${this.task} WHERE task_id = ANY($1::text[])`;
  }

  /** One query for any number of group ids. */
  selectGroups(): string {
    return `SELECT taskset_id, result, date_done::text AS date_done FROM ${this.group} WHERE taskset_id = ANY($1::text[])`;
  }

  /**
   * Atomic upsert of a task row; with `guard`, a stored SUCCESS is never overwritten
   * ("SUCCESS is final"): then no row is returned.
   */
  upsertTask(guard: boolean): string {
    const cols = ['status', 'result', 'date_done', 'traceback'];
    if (this.extended) cols.push(...EXTENDED_COLUMNS);
    const params = cols.map((_, i) => `$${i + 2}`);
    const set = cols.map((c) => `${c} = EXCLUDED.${c}`).join(', ');
    return (
      `INSERT INTO ${this.task} AS t (id, task_id, ${cols.join(', ')}) ` +
      `VALUES (nextval('${this.taskSeq.replaceAll("'", "''")}'), $1, ${params.join(', ')}) ` +
      `ON CONFLICT (task_id) DO UPDATE SET ${set}` +
      (guard ? ` WHERE t.status IS DISTINCT FROM 'SUCCESS'` : '') +
      ' RETURNING 1'
    );
  }

  /** Upsert of a saved group. */
  upsertGroup(): string {
    return (
      `INSERT INTO ${this.group} AS g (id, taskset_id, result, date_done) ` +
      `VALUES (nextval('${this.groupSeq.replaceAll("'", "''")}'), $1, $2, $3) ` +
      'ON CONFLICT (taskset_id) DO UPDATE SET result = EXCLUDED.result, date_done = EXCLUDED.date_done'
    );
  }

  taskRowToText(row: unknown, key: string): string {
    return taskRowToText(row as TaskRow, key, this.extended);
  }

  groupRowToText(row: unknown, key: string): string {
    return groupRowToText(row as GroupRow, key);
  }

  taskParams(taskId: string, text: string, key: string): unknown[] {
    return taskTextToParams(taskId, text, key, this.extended);
  }

  groupParams(groupId: string, text: string, key: string): unknown[] {
    return groupTextToParams(groupId, text, key);
  }

  /** Column names and `varchar` lengths of a table (no rows when it does not exist). */
  static columns(): string {
    return (
      'SELECT column_name, character_maximum_length FROM information_schema.columns ' +
      'WHERE table_name = $1 AND table_schema = COALESCE($2, current_schema())'
    );
  }

  /** DDL as SQLAlchemy emits it for Celery's models (extended columns when asked). */
  createTables(): string[] {
    const ext = this.extended
      ? ', name VARCHAR(155), args BYTEA, kwargs BYTEA, worker VARCHAR(155), retries INTEGER, queue VARCHAR(155)'
      : '';
    const schemas = [this.config.taskSchema, this.config.groupSchema]
      .filter((s): s is string => s !== null)
      .map((s) => `CREATE SCHEMA IF NOT EXISTS ${quote(s)}`);
    return [
      ...new Set(schemas),
      `CREATE SEQUENCE IF NOT EXISTS ${this.taskSeq}`,
      `CREATE TABLE IF NOT EXISTS ${this.task} (id INTEGER NOT NULL, task_id VARCHAR(155), status VARCHAR(50), result BYTEA, date_done TIMESTAMP WITHOUT TIME ZONE, traceback TEXT${ext}, PRIMARY KEY (id), UNIQUE (task_id))`,
      `CREATE SEQUENCE IF NOT EXISTS ${this.groupSeq}`,
      `CREATE TABLE IF NOT EXISTS ${this.group} (id INTEGER NOT NULL, taskset_id VARCHAR(155), result BYTEA, date_done TIMESTAMP WITHOUT TIME ZONE, PRIMARY KEY (id), UNIQUE (taskset_id))`,
    ];
  }
}
