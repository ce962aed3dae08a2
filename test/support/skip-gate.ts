/**
 * The one skip gate of the suite. A suite that needs something the machine may lack (a server
 * binary, a browser, a Celery version) is declared through {@link describeIfReady} or one of its
 * wrappers ({@link describeWithServer}, `describeWithCelery`, `describeWithBrowser`,
 * `describeBackend`):
 * - everything present: a plain `describe`;
 * - something missing, locally: a loud `!!!` warning and `describe.skip`;
 * - something missing under CI ({@link IN_CI}): a failing test naming what is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** True when running under CI (`CI=true` or `CI=1`): a missing dependency fails, never skips. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** Whether an executable can be found (absolute or relative path, or on PATH). */
export function hasBinary(bin: string): boolean {
  if (bin.includes('/')) return existsSync(bin);
  return (
    spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status ===
    0
  );
}

/**
 * `describe(name, fn)` when `missing` is empty; otherwise skip loudly (locally) or fail (CI).
 * `hint` says how to install what is missing.
 */
export function describeIfReady(
  name: string,
  missing: readonly string[],
  hint: string,
  fn: () => void,
): void {
  if (missing.length === 0) {
    describe(name, fn);
    return;
  }
  const what = missing.join(', ');
  const msg = `!!! ${name}: missing ${what}; ${hint}`;
  if (IN_CI) {
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

/**
 * `describe` when every binary exists; else skip loudly (locally) or fail (CI=true).
 * Use: `describeWithServer(['redis-server'], 'redis store', () => { ... })`.
 */
export function describeWithServer(
  bins: readonly string[],
  name: string,
  fn: () => void,
): void {
  describeIfReady(
    name,
    bins.filter((b) => !hasBinary(b)),
    'install it (see README) to run this suite',
    fn,
  );
}
