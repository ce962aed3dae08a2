/**
 * Runs Python with Celery for live interop tests: Celery is the judge. Every suite declared
 * with `describeWithCelery` runs once per Celery version of the matrix (5.2.6 from Debian's
 * python3-celery, 5.5.2 and 5.6.3 from `.cache/celery`, see scripts/install-celery-versions.sh),
 * one block after the other, named `<suite> [Celery <version>]`. To keep the matrix fast, a
 * spec starts its servers once, outside `describeWithCelery` (each version in its own
 * namespace: database, bucket, key prefix), and a test that only runs Python scripts may do
 * the work of every version at once with {@link acrossVersions}.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeIfReady } from './skip-gate.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Debian's interpreter: python3-celery 5.2.6 is installed for it, not for a pyenv python. */
const SYSTEM_PYTHON = process.env.CELERY_PYTHON ?? '/usr/bin/python3';

/** One Celery version of the interop matrix and the interpreter that imports it. */
export interface CeleryRuntime {
  readonly version: string;
  readonly python: string;
}

/**
 * The matrix: every version, or those listed in `CELERY_VERSIONS` (comma-separated, e.g.
 * `CELERY_VERSIONS=5.6.3` for a quick local run).
 */
export const CELERY_MATRIX: readonly CeleryRuntime[] = [
  { version: '5.2.6', python: SYSTEM_PYTHON },
  ...['5.5.2', '5.6.3'].map((version) => ({
    version,
    python: join(
      process.env.CELERY_VERSIONS_CACHE ?? join(ROOT, '.cache', 'celery'),
      version,
      'python',
    ),
  })),
].filter(
  (r) =>
    !process.env.CELERY_VERSIONS ||
    process.env.CELERY_VERSIONS.split(',').includes(r.version),
);

/**
 * The interpreter of the Celery version under test: a live binding, set by each
 * `describeWithCelery` block before its tests run (5.2.6's outside any block).
 */
export let PYTHON = SYSTEM_PYTHON;

/** The Celery version under test (see {@link PYTHON}). */
export let CELERY_VERSION = '5.2.6';

const imports = new Map<string, string | null>();

/** The Celery version `python` imports, or null when it cannot (checked once per interpreter). */
function importedCelery(python: string): string | null {
  if (!imports.has(python)) {
    const run = existsSync(python)
      ? spawnSync(python, ['-c', 'import celery; print(celery.__version__)'], {
          encoding: 'utf8',
        })
      : null;
    imports.set(python, run?.status === 0 ? run.stdout.trim() : null);
  }
  return imports.get(python) ?? null;
}

/** True when Debian's Python can import celery (checked once). */
export const HAS_CELERY: boolean = importedCelery(SYSTEM_PYTHON) !== null;

/** Output of a finished Python run. */
export interface PythonRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run a Python script (file path or `-c` code) and collect its output. Rejects on timeout.
 * `env` is merged over process.env.
 */
export function runPython(
  args: readonly string[],
  opts: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    timeoutMs?: number;
    input?: string;
    /** The interpreter; default {@link PYTHON} (the version under test). */
    python?: string;
  } = {},
): Promise<PythonRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(opts.python ?? PYTHON, [...args], {
      cwd: opts.cwd,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `python timed out after ${opts.timeoutMs ?? 60000} ms\n${stderr}`,
        ),
      );
    }, opts.timeoutMs ?? 60000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** The versions of the matrix whose interpreter imports that Celery (in matrix order). */
export function readyRuntimes(): CeleryRuntime[] {
  return CELERY_MATRIX.filter((r) => importedCelery(r.python) === r.version);
}

/**
 * Work done for every ready Celery version at once: the returned function, called in a test
 * of a `describeWithCelery` block, starts `work` for all versions the first time any version
 * calls it, and resolves with the result of `version` (default: the version under test,
 * {@link CELERY_VERSION}; one version's work may await another piece of work of its own).
 * Each version keeps its own test (and count); the 2 cores overlap the Python start-ups.
 * `work` must use only state shared by all versions (servers started outside the blocks),
 * `runtime.python` as its interpreter, and a namespace of its own per version.
 */
export function acrossVersions<T>(
  work: (runtime: CeleryRuntime) => Promise<T>,
): (version?: string) => Promise<T> {
  let started: Map<string, Promise<T>> | undefined;
  return (version = CELERY_VERSION) => {
    started ??= new Map(
      readyRuntimes().map((runtime) => {
        const done = work(runtime);
        done.catch(() => undefined); // awaited (and reported) by its own version's test
        return [runtime.version, done];
      }),
    );
    const mine = started.get(version);
    if (!mine)
      throw new Error(`Celery ${version} is not ready for acrossVersions`);
    return mine;
  };
}

/**
 * A name part unique to a Celery version, e.g. `5_6_3` or (with `separator` '-') `5-6-3`, for
 * per-version databases, buckets and key prefixes.
 */
export function versionTag(
  separator = '_',
  version: string = CELERY_VERSION,
): string {
  return version.replaceAll('.', separator);
}

/**
 * For each Celery version of {@link CELERY_MATRIX}: `describe('<name> [Celery <version>]')`,
 * with {@link PYTHON} and {@link CELERY_VERSION} set for its tests, when that Celery (and any
 * `extraModules`, e.g. `pylibmc`) is importable; otherwise skip loudly (locally) or fail
 * (CI=true). The blocks run one after the other (servers a spec starts outside them are shared;
 * see {@link acrossVersions} for Python work done for all versions at once). `versions`
 * restricts the block to those versions of the matrix (e.g. a slow check run for one version).
 */
export function describeWithCelery(
  name: string,
  fn: () => void,
  extraModules: readonly string[] = [],
  versions?: readonly string[],
): void {
  for (const runtime of CELERY_MATRIX)
    if (!versions || versions.includes(runtime.version))
      describeVersion(name, fn, extraModules, runtime);
}

function describeVersion(
  suite: string,
  fn: () => void,
  extraModules: readonly string[],
  runtime: CeleryRuntime,
): void {
  describeCeleryRuntime(
    `${suite} [Celery ${runtime.version}]`,
    fn,
    extraModules,
    runtime,
  );
}

/**
 * `describe(name)` with {@link PYTHON} and {@link CELERY_VERSION} set to `runtime` for its tests
 * (e.g. a wrapper that adds django-celery-results to a Celery version), when that interpreter
 * imports the Celery version, `extraModules`, and nothing is in `missing` (what the caller
 * found absent); otherwise skip loudly (locally) or fail (CI=true).
 */
export function describeCeleryRuntime(
  name: string,
  fn: () => void,
  extraModules: readonly string[],
  { version, python }: CeleryRuntime,
  missing: readonly string[] = [],
): void {
  const found = importedCelery(python);
  const absent = extraModules.filter(
    (m) =>
      spawnSync(python, ['-c', `import ${m}`], { stdio: 'ignore' }).status !==
      0,
  );
  const body = (): void => {
    beforeAll(() => {
      PYTHON = python;
      CELERY_VERSION = version;
    });
    afterAll(() => {
      PYTHON = SYSTEM_PYTHON;
      CELERY_VERSION = '5.2.6';
    });
    fn();
  };
  const what = [
    ...(found === version ? [] : [`celery ${version}`]),
    ...absent,
    ...missing,
  ];
  describeIfReady(
    name,
    what,
    `${python} cannot import it; run scripts/install-test-deps.sh`,
    body,
  );
}
