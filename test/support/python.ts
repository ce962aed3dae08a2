/**
 * Runs Debian's Python (with python3-celery) for live interop tests. Celery is the judge.
 */
import { spawn, spawnSync } from 'node:child_process';

/** Debian's interpreter: python3-celery is installed for it, not for a pyenv python. */
export const PYTHON = process.env.CELERY_PYTHON ?? '/usr/bin/python3';

/** True when PYTHON can import celery (checked once). */
export const HAS_CELERY: boolean =
  spawnSync(PYTHON, ['-c', 'import celery'], { stdio: 'ignore' }).status === 0;

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
  } = {},
): Promise<PythonRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [...args], {
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

/**
 * `describe` when Debian's Celery (and any `extraModules`, e.g. `pylibmc`) is importable;
 * otherwise skip loudly (locally) or fail (CI=true).
 */
export function describeWithCelery(
  name: string,
  fn: () => void,
  extraModules: readonly string[] = [],
): void {
  const missing = extraModules.filter(
    (m) =>
      spawnSync(PYTHON, ['-c', `import ${m}`], { stdio: 'ignore' }).status !==
      0,
  );
  if (HAS_CELERY && missing.length === 0) {
    describe(name, fn);
    return;
  }
  const what = [...(HAS_CELERY ? [] : ['celery']), ...missing].join(', ');
  const msg = `!!! ${name}: ${PYTHON} cannot import ${what}; run scripts/install-test-deps.sh`;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(name, () => {
      it(`has ${what} installed`, () => {
        throw new Error(msg);
      });
    });
  } else {
    console.warn(`\n${msg}\n`);
    describe.skip(name, fn);
  }
}
