/**
 * The built demo (`dist/src/main.js`) for tests that run it as a real process, built at most
 * once and only when missing or older than its sources. It needs two outputs:
 * - the library's build (`libs/result-backend/dist`, which `main.js` imports through the
 *   workspace link): reused when up to date (CI's consumer-app step packs it, and packing
 *   builds it), else `npm run build:lib`;
 * - the demo's own JavaScript: emitted with `tsc --noCheck` (type errors are
 *   `npm run typecheck`'s job), without declarations or source maps.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LIB = join(ROOT, 'libs', 'result-backend');

/** Newest modification time (ms) of the files under `path` (a file or a folder). */
function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce(
    (max, name) => Math.max(max, newest(join(path, name))),
    0,
  );
}

/** True when `output` exists and is newer than every input. */
function upToDate(output: string, inputs: readonly string[]): boolean {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return inputs.every((i) => newest(i) <= built);
}

/** Run a build step; throw with its output when it fails or prints anything. */
function run(what: string, command: string, args: readonly string[]): void {
  const r = spawnSync(command, [...args], { cwd: ROOT, encoding: 'utf8' });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || out.trim() !== '')
    throw new Error(`${what} failed (exit ${r.status}):\n${out}`);
}

/** What {@link buildDemo} did, for the test log. */
export interface DemoBuild {
  /** Path of the demo's entry point. */
  readonly main: string;
  readonly library: 'reused' | 'built';
  readonly demo: 'reused' | 'built';
}

/**
 * Make `dist/src/main.js` runnable, building only what is missing or stale (synchronous: call it
 * in `beforeAll`). Throws with the build output on failure.
 */
export function buildDemo(): DemoBuild {
  const libInputs = [
    join(LIB, 'src'),
    join(LIB, 'tsconfig.lib.json'),
    join(ROOT, 'tsconfig.json'),
  ];
  const libFresh = upToDate(join(LIB, 'dist', 'index.js'), libInputs);
  if (!libFresh) run('library build', 'npm', ['run', '--silent', 'build:lib']);
  const main = join(ROOT, 'dist', 'src', 'main.js');
  const demoInputs = [
    join(ROOT, 'src'),
    join(ROOT, 'tsconfig.build.json'),
    join(ROOT, 'tsconfig.json'),
  ];
  const demoFresh = upToDate(main, demoInputs);
  if (!demoFresh)
    run('demo build', process.execPath, [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      'tsconfig.build.json',
      '--noCheck',
      '--declaration',
      'false',
      '--sourceMap',
      'false',
    ]);
  return {
    main,
    library: libFresh ? 'reused' : 'built',
    demo: demoFresh ? 'reused' : 'built',
  };
}
