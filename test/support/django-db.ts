/**
 * django-celery-results on the test PostgreSQL: the matrix of its versions (each with the Celery
 * and Django of its Debian suite), a gate per version, and the real Django migrations run into a
 * database by `test/python/django_celery.py`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInteropScript } from './pg-interop.js';
import { describeCeleryRuntime } from './python.js';
import type { PostgresqlTestServer } from './postgresql-server.js';

/** The helper script (`migrate`, `write`, `read`, `group-read`, `rows`). */
export const DJANGO_SCRIPT = fileURLToPath(
  new URL('../python/django_celery.py', import.meta.url),
);

const SYSTEM_PYTHON = process.env.CELERY_PYTHON ?? '/usr/bin/python3';

const CACHE =
  process.env.DJANGO_RESULTS_CACHE ??
  fileURLToPath(new URL('../../.cache/django-results', import.meta.url));

/** One django-celery-results version and the interpreter that imports it with its Celery and Django. */
export interface DjangoResultsRuntime {
  /** django-celery-results version. */
  readonly results: string;
  /** The Celery version of the same Debian suite (the wrapper runs that Celery). */
  readonly celery: string;
  /** Django major.minor. */
  readonly django: string;
  readonly python: string;
}

/**
 * The matrix, as Debian pairs them: bookworm's 2.4.0 (Django 3.2, Celery 5.2.6, installed by
 * apt), trixie's 2.5.1 (Django 4.2, Celery 5.5.2) and sid's 2.6.0 (Django 5.2, Celery 5.6.3),
 * unpacked into `.cache/django-results` by scripts/install-celery-versions.sh. Restricted by
 * `DJANGO_RESULTS_VERSIONS` (comma-separated) for a quick local run.
 */
export const DJANGO_RESULTS_MATRIX: readonly DjangoResultsRuntime[] = [
  { results: '2.4.0', celery: '5.2.6', django: '3.2', python: SYSTEM_PYTHON },
  { results: '2.5.1', celery: '5.5.2', django: '4.2', python: '' },
  { results: '2.6.0', celery: '5.6.3', django: '5.2', python: '' },
]
  .map((r) => ({
    ...r,
    python: r.python || join(CACHE, r.results, 'python'),
  }))
  .filter(
    (r) =>
      !process.env.DJANGO_RESULTS_VERSIONS ||
      process.env.DJANGO_RESULTS_VERSIONS.split(',').includes(r.results),
  );

/** `django-celery-results Django` versions an interpreter imports (with psycopg2), or null. */
function imported(python: string): string | null {
  if (!existsSync(python)) return null;
  const run = spawnSync(
    python,
    [
      '-c',
      'import django, django_celery_results as r, psycopg2; print(r.__version__, "%d.%d" % django.VERSION[:2])',
    ],
    { encoding: 'utf8' },
  );
  return run.status === 0 ? run.stdout.trim() : null;
}

/**
 * For each version of {@link DJANGO_RESULTS_MATRIX}: `describe('<name> [django-celery-results
 * X, Celery Y, Django Z]')` with `runtime`'s interpreter as the Python of its tests (see
 * `describeCeleryRuntime`), when it imports those versions; otherwise skip loudly (locally) or
 * fail (CI). `only` restricts the versions (e.g. version-independent checks on one).
 */
export function describeWithDjangoResults(
  name: string,
  fn: (runtime: DjangoResultsRuntime) => void,
  only?: readonly string[],
): void {
  for (const runtime of DJANGO_RESULTS_MATRIX) {
    if (only && !only.includes(runtime.results)) continue;
    const { results, celery, django, python } = runtime;
    const found = imported(python);
    describeCeleryRuntime(
      `${name} [django-celery-results ${results}, Celery ${celery}, Django ${django}]`,
      () => fn(runtime),
      [],
      { version: celery, python },
      found === `${results} ${django}`
        ? []
        : [`django-celery-results ${results} with Django ${django}`],
    );
  }
}

/** A database name for a version (`django_2_5_1`). */
export function djangoDatabase(runtime: DjangoResultsRuntime): string {
  return `django_${runtime.results.replaceAll('.', '_')}`;
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
export function runDjango(
  env: NodeJS.ProcessEnv,
  mode: string,
  args: unknown = {},
): Promise<Record<string, unknown>[]> {
  return runInteropScript(DJANGO_SCRIPT, mode, args, { env });
}

/** Create a database and run django-celery-results' real migrations into it. */
export async function createDjangoDatabase(
  server: PostgresqlTestServer,
  database: string,
): Promise<void> {
  await server.createDatabase(database);
  await runDjango(djangoEnv(server, database), 'migrate');
}
