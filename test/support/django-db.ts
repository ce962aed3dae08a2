/**
 * django-celery-results on the test PostgreSQL: a gate for Debian's `python3-django` and
 * `python3-django-celery-results`, and the real Django migrations run into a database by
 * `test/python/django_celery.py`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runPython } from './python.js';
import { describeIfReady } from './skip-gate.js';
import type { PostgresqlTestServer } from './postgresql-server.js';

/** The helper script (`migrate`, `write`, `read`, `group-read`, `rows`). */
export const DJANGO_SCRIPT = fileURLToPath(
  new URL('../python/django_celery.py', import.meta.url),
);

const SYSTEM_PYTHON = process.env.CELERY_PYTHON ?? '/usr/bin/python3';

/** True when Debian's Python imports Django, django-celery-results and psycopg2 (checked once). */
export const HAS_DJANGO: boolean =
  spawnSync(
    SYSTEM_PYTHON,
    ['-c', 'import django, django_celery_results, psycopg2'],
    { stdio: 'ignore' },
  ).status === 0;

/** `describe` when Django is importable; else skip loudly (locally) or fail (CI). */
export function describeWithDjango(name: string, fn: () => void): void {
  describeIfReady(
    name,
    HAS_DJANGO ? [] : ['django, django_celery_results, psycopg2'],
    `${SYSTEM_PYTHON} cannot import them; run scripts/install-test-deps.sh`,
    fn,
  );
}

/** Environment of the script for one database of the test server. */
export function djangoEnv(
  server: PostgresqlTestServer,
  database: string,
  extended = false,
): NodeJS.ProcessEnv {
  return {
    PG_HOST: '127.0.0.1',
    PG_PORT: String(server.port),
    PG_DB: database,
    RESULT_EXTENDED: extended ? '1' : '0',
  };
}

/**
 * Run the script in `mode` with JSON `args` (with the interpreter of the Celery version under
 * test) and return its JSON output lines; rejects with its stderr when it fails.
 */
export async function runDjango(
  env: NodeJS.ProcessEnv,
  mode: string,
  args: unknown = {},
): Promise<Record<string, unknown>[]> {
  const run = await runPython([DJANGO_SCRIPT, mode, JSON.stringify(args)], {
    env,
    timeoutMs: 60_000,
  });
  if (run.code !== 0)
    throw new Error(`django_celery.py ${mode} failed:\n${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Create a database and run django-celery-results' real migrations into it. */
export async function createDjangoDatabase(
  server: PostgresqlTestServer,
  database: string,
): Promise<void> {
  await server.createDatabase(database);
  await runDjango(djangoEnv(server, database), 'migrate');
}
