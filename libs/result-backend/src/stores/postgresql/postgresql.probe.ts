/**
 * What the PostgreSQL store learns about the database at startup: the columns (and `varchar`
 * lengths) of its tables, and from them the layout to use.
 */
import type { OwnedPool } from './postgresql.pool.js';
import { missingTables } from './postgresql.pool.js';
import { DjangoSql } from './postgresql-django.sql.js';
import type { PostgresqlLayout } from './postgresql-layout.interface.js';
import type { PostgresqlBackendConfig } from './postgresql.options.js';
import { EXTENDED_COLUMNS, PostgresqlSql } from './postgresql.sql.js';

/** Column names of a table and their `varchar` lengths; empty when it does not exist. @internal */
export async function columns(
  owned: OwnedPool,
  schema: string | null,
  table: string,
): Promise<Map<string, number | null>> {
  const res = await owned.pool.query(PostgresqlSql.columns(), [table, schema]);
  return new Map(
    (
      res.rows as {
        column_name: string;
        character_maximum_length: number | null;
      }[]
    ).map((r) => [r.column_name, r.character_maximum_length]),
  );
}

/** The layout for the config, once the task table's columns are known. @internal */
export function layoutFor(
  config: PostgresqlBackendConfig,
  taskCols: Map<string, number | null>,
): PostgresqlLayout {
  if (config.layout === 'django')
    return new DjangoSql(config, taskCols.has('date_started'));
  const hasExtended = EXTENDED_COLUMNS.every((c) => taskCols.has(c));
  const sql = new PostgresqlSql(config, config.extended ?? hasExtended);
  if (sql.extended && !hasExtended)
    throw missingTables(
      `${sql.task} with the result_extended columns`,
      'columns missing',
    );
  return sql;
}
