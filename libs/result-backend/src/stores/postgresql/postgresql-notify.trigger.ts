/**
 * The opt-in installer of the `NOTIFY` trigger that lets the PostgreSQL store push results
 * instead of polling.
 */
import type { PgPoolLike } from './postgresql.options.js';
import {
  POSTGRESQL_NOTIFY_CHANNEL,
  POSTGRESQL_NOTIFY_TRIGGER,
} from './postgresql-notify.push.js';

/** Where to install the trigger (Celery's `database_table_names` / `database_table_schemas`). @publicApi */
export interface PostgresqlNotifyTriggerOptions {
  /** Task table (default `celery_taskmeta`). */
  readonly taskTable?: string;
  /** Its schema (default: the search path). */
  readonly taskSchema?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

function quote(name: string | undefined, fallback: string): string {
  const value = name ?? fallback;
  if (!IDENTIFIER.test(value))
    throw new TypeError(`not a plain SQL identifier: ${value.slice(0, 70)}`);
  return `"${value}"`;
}

/**
 * The SQL of the trigger and its function on the (schema-qualified, quoted) task table: the
 * statements that install them and those that remove them, in the order they run.
 */
function triggerSql(options: PostgresqlNotifyTriggerOptions): {
  install: string[];
  remove: string[];
} {
  const schema = options.taskSchema ? `${quote(options.taskSchema, '')}.` : '';
  const table = `${schema}${quote(options.taskTable, 'celery_taskmeta')}`;
  const fn = `${schema}"${POSTGRESQL_NOTIFY_TRIGGER}"`;
  const dropTrigger = `DROP TRIGGER IF EXISTS "${POSTGRESQL_NOTIFY_TRIGGER}" ON ${table}`;
  return {
    install: [
      `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('${POSTGRESQL_NOTIFY_CHANNEL}', NEW.task_id); RETURN NEW; END $$`,
      dropTrigger,
      `CREATE TRIGGER "${POSTGRESQL_NOTIFY_TRIGGER}" AFTER INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    ],
    remove: [dropTrigger, `DROP FUNCTION IF EXISTS ${fn}()`],
  };
}

/** Run `statements` one after the other. */
async function runEach(pool: PgPoolLike, statements: string[]): Promise<void> {
  for (const sql of statements) await pool.query(sql);
}

/**
 * Install (or replace) an `AFTER INSERT OR UPDATE` trigger on the task table that runs
 * `pg_notify('celery_result', task_id)`. Call it once, explicitly, with a pool whose user may
 * create functions and triggers; stores opened afterwards `LISTEN` and push results instead of
 * polling (running stores keep polling until restarted). Idempotent. Remove with
 * {@link removePostgresqlNotifyTrigger}.
 * @publicApi
 */
export async function installPostgresqlNotifyTrigger(
  pool: PgPoolLike,
  options: PostgresqlNotifyTriggerOptions = {},
): Promise<void> {
  await runEach(pool, triggerSql(options).install);
}

/** Drop the trigger and function {@link installPostgresqlNotifyTrigger} created. @publicApi */
export async function removePostgresqlNotifyTrigger(
  pool: PgPoolLike,
  options: PostgresqlNotifyTriggerOptions = {},
): Promise<void> {
  await runEach(pool, triggerSql(options).remove);
}
