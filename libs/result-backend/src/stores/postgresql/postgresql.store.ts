/**
 * The PostgreSQL result store (`db+postgresql://`): Celery's SQLAlchemy `DatabaseBackend`
 * tables, over node-postgres. Keys map to rows (`celery-task-meta-<id>` → `celery_taskmeta`,
 * `celery-taskset-meta-<id>` → `celery_tasksetmeta`); documents are converted to and from the
 * columns, `result` being a pickle read without executing anything. `mget` is one
 * `task_id = ANY($1)` query, so the watch engine polls every watched id in one round trip.
 */
import type { PostgresqlBackendConfig } from './postgresql.options.js';
import { describePostgresql } from './postgresql-url.util.js';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { UnsupportedOperationError } from '../../errors/unsupported-operation.error.js';
import { GROUP_KEY_PREFIX, TASK_KEY_PREFIX } from '../../protocol/index.js';
import type {
  ResultStore,
  StorePush,
  WriteOutcome,
} from '../result-store.interface.js';
import type { StoreContext } from '../store-context.interface.js';
import {
  PostgresqlNotifyPush,
  hasNotifyTrigger,
} from './postgresql-notify.push.js';
import {
  missingTables,
  openPool,
  toStoreError,
  type OwnedPool,
} from './postgresql-pool.util.js';
import {
  groupRowToText,
  groupTextToParams,
  taskRowToText,
  taskTextToParams,
  type GroupRow,
  type TaskRow,
} from './postgresql-rows.util.js';
import { EXTENDED_COLUMNS, PostgresqlSql } from './postgresql-sql.util.js';

type Target = { readonly table: 'task' | 'group'; readonly id: string };

/** Which table and id a store key names. */
function target(key: string): Target {
  const g = key.indexOf(GROUP_KEY_PREFIX);
  if (g >= 0)
    return { table: 'group', id: key.slice(g + GROUP_KEY_PREFIX.length) };
  const t = key.indexOf(TASK_KEY_PREFIX);
  if (t >= 0)
    return { table: 'task', id: key.slice(t + TASK_KEY_PREFIX.length) };
  throw new UnsupportedOperationError(
    `the key ${key.slice(0, 80)}`,
    'postgresql',
  );
}

class PostgresqlStore implements ResultStore {
  readonly kind = 'postgresql' as const;
  readonly autoExpires = false;
  push?: StorePush;
  private closed = false;

  constructor(
    readonly description: string,
    private readonly owned: OwnedPool,
    private readonly sql: PostgresqlSql,
    private readonly notify: PostgresqlNotifyPush | null,
  ) {
    if (notify) this.push = notify;
  }

  private async query<R>(
    text: string,
    values: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }> {
    if (this.closed)
      throw new BackendUnavailableError(this.description, 'store is closed');
    try {
      const res = await this.owned.pool.query(text, values);
      return res as { rows: R[]; rowCount: number | null };
    } catch (err) {
      throw toStoreError(
        err,
        this.description,
        `${this.sql.task}/${this.sql.group}`,
      );
    }
  }

  async get(key: string): Promise<string | null> {
    return (await this.mget([key]))[0];
  }

  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    const targets = keys.map(target);
    const taskIds = [
      ...new Set(targets.filter((t) => t.table === 'task').map((t) => t.id)),
    ];
    const groupIds = [
      ...new Set(targets.filter((t) => t.table === 'group').map((t) => t.id)),
    ];
    const [tasks, groups] = await Promise.all([
      taskIds.length
        ? this.query<TaskRow>(this.sql.selectTasks(), [taskIds])
        : null,
      groupIds.length
        ? this.query<GroupRow>(this.sql.selectGroups(), [groupIds])
        : null,
    ]);
    const taskRows = new Map((tasks?.rows ?? []).map((r) => [r.task_id, r]));
    const groupRows = new Map(
      (groups?.rows ?? []).map((r) => [r.taskset_id, r]),
    );
    return targets.map((t, i) => {
      if (t.table === 'group') {
        const row = groupRows.get(t.id);
        return row ? groupRowToText(row, keys[i]) : null;
      }
      const row = taskRows.get(t.id);
      return row ? taskRowToText(row, keys[i], this.sql.extended) : null;
    });
  }

  async set(
    key: string,
    value: string,
    _ttl: number | null,
    guardSuccess: boolean,
  ): Promise<WriteOutcome> {
    const t = target(key);
    if (t.table === 'group') {
      await this.query(
        this.sql.upsertGroup(),
        groupTextToParams(t.id, value, key),
      );
      return 'written';
    }
    const params = taskTextToParams(t.id, value, key, this.sql.extended);
    const res = await this.query(this.sql.upsertTask(guardSuccess), params);
    return res.rowCount === 0 ? 'kept-success' : 'written';
  }

  async delete(key: string): Promise<void> {
    const t = target(key);
    await this.query(
      t.table === 'task' ? this.sql.deleteTask() : this.sql.deleteGroup(),
      [t.id],
    );
  }

  async cleanup(expiresSeconds: number): Promise<number> {
    const tasks = await this.query(this.sql.cleanup('task'), [expiresSeconds]);
    const groups = await this.query(this.sql.cleanup('group'), [
      expiresSeconds,
    ]);
    return (tasks.rowCount ?? 0) + (groups.rowCount ?? 0);
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1', []);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.notify?.close();
    await this.owned.end();
  }
}

/** Column names of a table; empty when it does not exist. */
async function columns(
  owned: OwnedPool,
  schema: string | null,
  table: string,
): Promise<Set<string>> {
  const res = await owned.pool.query(PostgresqlSql.columns(), [table, schema]);
  return new Set(
    (res.rows as { column_name: string }[]).map((r) => r.column_name),
  );
}

/**
 * Open the store: pool (the user's `postgresql.pool` or a new one), table check (created
 * first when `createTables` is set, else a missing table is an `ImproperlyConfiguredError`
 * saying how to create it), extended columns (used when present unless `extended: false`),
 * and `LISTEN/NOTIFY` push when `installPostgresqlNotifyTrigger` was run on the task table.
 * A database that cannot be reached gives `BackendUnavailableError` (no pool is left open).
 * @internal
 */
export async function createPostgresqlStore(
  config: PostgresqlBackendConfig,
  ctx: StoreContext,
): Promise<ResultStore> {
  const description = describePostgresql(config);
  const owned = await openPool(config, ctx.logger, description);
  try {
    let probe = new PostgresqlSql(config, config.extended === true);
    if (config.createTables)
      for (const ddl of probe.createTables()) await owned.pool.query(ddl);
    const taskCols = await columns(owned, config.taskSchema, config.taskTable);
    const groupCols = await columns(
      owned,
      config.groupSchema,
      config.groupTable,
    );
    if (taskCols.size === 0 || groupCols.size === 0)
      throw missingTables(
        taskCols.size === 0 ? probe.task : probe.group,
        'not found',
      );
    const hasExtended = EXTENDED_COLUMNS.every((c) => taskCols.has(c));
    probe = new PostgresqlSql(config, config.extended ?? hasExtended);
    if (probe.extended && !hasExtended)
      throw missingTables(
        `${probe.task} with the result_extended columns`,
        'columns missing',
      );
    const notify = (await hasNotifyTrigger(owned.pool, probe.task))
      ? new PostgresqlNotifyPush(owned.pool, ctx.logger, description)
      : null;
    return new PostgresqlStore(description, owned, probe, notify);
  } catch (err) {
    await owned.end().catch(() => undefined);
    throw toStoreError(
      err,
      description,
      `${config.taskTable}/${config.groupTable}`,
    );
  }
}
