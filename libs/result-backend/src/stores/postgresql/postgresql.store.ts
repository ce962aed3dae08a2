/**
 * The PostgreSQL result store, over node-postgres, on Celery's SQLAlchemy `DatabaseBackend`
 * tables (`db+postgresql://`) or django-celery-results' (`django-db`). Keys map to rows
 * (`celery-task-meta-<id>` → the task table, `celery-taskset-meta-<id>` → the group table);
 * documents are converted to and from the columns by the layout (`PostgresqlLayout`). `mget`
 * is one `task_id = ANY($1)` query, so the watch engine polls every watched id in one round
 * trip. Ids longer than the id columns are refused before any I/O (`validateKey`).
 */
import type { PostgresqlBackendConfig } from './postgresql.options.js';
import { describePostgresql } from './postgresql-url.parser.js';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import type {
  ResultStore,
  StoreChordRows,
  StorePush,
  WriteOutcome,
  StoreSetArgs,
} from '../result-store.interface.js';
import type {
  OutageReporter,
  StoreContext,
} from '../store-context.interface.js';
import {
  PostgresqlNotifyPush,
  hasNotifyTrigger,
} from './postgresql-notify.push.js';
import {
  missingTables,
  openPool,
  toStoreError,
  type OwnedPool,
} from './postgresql.pool.js';
import {
  checkIdLength,
  targetOf as target,
  type IdLimits,
} from './postgresql-keys.guard.js';
import { DjangoSql } from './postgresql-django.sql.js';
import type { PostgresqlLayout } from './postgresql-layout.interface.js';
import { PostgresqlSql, cleanupSql, deleteSql } from './postgresql.sql.js';
import { columns, layoutFor } from './postgresql.probe.js';
import {
  DJANGO_CHORD_TABLE,
  DjangoChordRows,
} from './postgresql-django-chord.rows.js';
import { qualifiedName } from './postgresql.sql.js';
import { outageLogFor } from '../../utils/outage-log.util.js';

class PostgresqlStore implements ResultStore {
  readonly kind = 'postgresql' as const;
  readonly autoExpires = false;
  push?: StorePush;
  readonly chordRows?: StoreChordRows;
  private closed = false;

  constructor(
    readonly description: string,
    /** The backend's outage log (LISTEN connection and the watch engine's reads). */
    readonly outage: OutageReporter,
    private readonly owned: OwnedPool,
    private readonly sql: PostgresqlLayout,
    private readonly notify: PostgresqlNotifyPush | null,
    private readonly limits: IdLimits,
    /** django-celery-results' chord counter table (quoted), when it exists. */
    chordTable: string | null,
  ) {
    if (notify) this.push = notify;
    if (chordTable)
      this.chordRows = new DjangoChordRows(
        (text, values) => this.query(text, values),
        chordTable,
      );
  }

  /** An id longer than its `varchar` column (Celery 155, django-celery-results 255) is refused. */
  validateKey(key: string): void {
    checkIdLength(key, this.limits);
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
        this.sql.howToCreate,
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
        ? this.query<{ task_id: string }>(this.sql.selectTasks(), [taskIds])
        : null,
      groupIds.length
        ? this.query<{ taskset_id: string }>(this.sql.selectGroups(), [
            groupIds,
          ])
        : null,
    ]);
    const taskRows = new Map((tasks?.rows ?? []).map((r) => [r.task_id, r]));
    const groupRows = new Map(
      (groups?.rows ?? []).map((r) => [r.taskset_id, r]),
    );
    return targets.map((t, i) => {
      if (t.table === 'group') {
        const row = groupRows.get(t.id);
        return row ? this.sql.groupRowToText(row, keys[i]) : null;
      }
      const row = taskRows.get(t.id);
      return row ? this.sql.taskRowToText(row, keys[i]) : null;
    });
  }

  async set(
    ...[key, value, , guardSuccess]: StoreSetArgs
  ): Promise<WriteOutcome> {
    const t = target(key);
    if (t.table === 'group') {
      await this.query(
        this.sql.upsertGroup(),
        this.sql.groupParams(t.id, value, key),
      );
      return 'written';
    }
    const params = this.sql.taskParams(t.id, value, key);
    const res = await this.query(this.sql.upsertTask(guardSuccess), params);
    return res.rowCount === 0 ? 'kept-success' : 'written';
  }

  async delete(key: string): Promise<void> {
    const t = target(key);
    await this.query(deleteSql(this.sql, t.table), [t.id]);
  }

  async cleanup(expiresSeconds: number): Promise<number> {
    const tasks = await this.query(cleanupSql(this.sql, 'task'), [
      expiresSeconds,
    ]);
    const groups = await this.query(cleanupSql(this.sql, 'group'), [
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

/**
 * Open the store: pool (the user's `postgresql.pool` or a new one), table check (Celery's
 * tables are created first when `createTables` is set; a missing table is an
 * `ImproperlyConfiguredError` saying how to create it), extended columns (Celery's layout:
 * used when present unless `extended: false`), id column lengths, and `LISTEN/NOTIFY` push
 * when `installPostgresqlNotifyTrigger` was run on the task table. A database that cannot be
 * reached gives `BackendUnavailableError` (no pool is left open).
 * @internal
 */
export async function createPostgresqlStore(
  config: PostgresqlBackendConfig,
  ctx: StoreContext,
): Promise<ResultStore> {
  const description = ctx.description ?? describePostgresql(config);
  const owned = await openPool(config, ctx.logger, description);
  const outage = outageLogFor(ctx, description);
  const probe =
    config.layout === 'django'
      ? new DjangoSql(config)
      : new PostgresqlSql(config, config.extended === true);
  try {
    if (config.createTables && probe instanceof PostgresqlSql)
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
        probe.howToCreate,
      );
    const sql = layoutFor(config, taskCols);
    const chordTable =
      sql.name === 'django' &&
      (await columns(owned, config.groupSchema, DJANGO_CHORD_TABLE)).size > 0
        ? qualifiedName(config.groupSchema, DJANGO_CHORD_TABLE)
        : null;
    const notify = (await hasNotifyTrigger(owned.pool, sql.task))
      ? new PostgresqlNotifyPush(owned.pool, outage)
      : null;
    return new PostgresqlStore(
      description,
      outage,
      owned,
      sql,
      notify,
      {
        task: taskCols.get(sql.taskIdColumn) ?? null,
        group: groupCols.get(sql.groupIdColumn) ?? null,
        taskColumn: `${sql.task}.${sql.taskIdColumn}`,
        groupColumn: `${sql.group}.${sql.groupIdColumn}`,
      },
      chordTable,
    );
  } catch (err) {
    await owned.end().catch(() => undefined);
    throw toStoreError(
      err,
      description,
      `${config.taskTable}/${config.groupTable}`,
      probe.howToCreate,
    );
  }
}
