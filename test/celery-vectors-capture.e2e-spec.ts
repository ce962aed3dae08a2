/**
 * The capture script regenerates the committed golden vectors: `npm run vectors:capture` for the
 * filesystem backend's plain pass (no server but the worker's Redis broker), both modes (the
 * backend API, and a real `celery worker`), with Celery 5.6.3 (one version keeps it short; the
 * script is the same for all three), into a temp folder. Every captured vector must equal the
 * committed one except for what depends on the run (date_done and other timestamps, hence byte
 * lengths and hashes; the worker's pid; Celery's random chord_unlock id; the reader's own error
 * traceback), and the blocks it does not capture must be carried over unchanged. The whole
 * comparison, for every backend and version, is scripts/celery-vectors/diff_vectors.py.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseCeleryJson } from '../libs/result-backend/src/protocol/celery-json.js';
import { celeryVectors } from './support/celery-vectors.js';
import { CELERY_VERSION, describeWithCelery } from './support/python.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Vector {
  readonly vector: string;
  readonly backend: string;
  readonly mode: string;
  readonly stored: Record<string, unknown>[];
}

/** A run-time timestamp (not the scenarios' fixed 2024-01-02 values), any Celery form. */
const RUN_TIME =
  /20(?!24-01-02)\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?/g;
/** A random (version 4) id: the chord body's parent on filesystem is Celery's chord_unlock task. */
const UUID4 =
  /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;
/** The STARTED document's worker pid (the manifest marks it `volatile`). */
const PID = /("pid": |'pid': )\d+/g;
/**
 * Fields derived from the bytes (which hold date_done): the bytes themselves are compared; and
 * the traceback of a read that raised (it names the capture's own reader file).
 */
const DERIVED = new Set(['raw_length', 'raw_sha256', 'error_traceback']);

/** The vector with run-time parts replaced, for comparison. */
function timeless(value: unknown, key = ''): unknown {
  if (typeof value === 'string')
    return value
      .replace(RUN_TIME, '<time>')
      .replace(UUID4, '<uuid4>')
      .replace(PID, '$1<pid>');
  if (key === 'pid' && typeof value === 'number') return '<pid>';
  if (Array.isArray(value)) return value.map((v) => timeless(v));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !DERIVED.has(k))
        .map(([k, v]) => [k, timeless(v, k)]),
    );
  return value;
}

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'npm',
      ['run', '-s', 'vectors:capture', '--', ...args],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // its own process group: the timeout kills npm's children too
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // Killing npm alone would leave Python holding the pipes: no 'close', and Jest kept alive.
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, 100_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describeWithCelery(
  'npm run vectors:capture (filesystem)',
  () => {
    let dir = '';
    let captured: Vector[] = [];
    let committed: Vector[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'vectors-capture-'));
      const { code, out } = await run([
        '--celery',
        CELERY_VERSION,
        '--out',
        dir,
        '--backends',
        'filesystem',
        '--passes',
        'plain',
      ]);
      if (code !== 0) throw new Error(`capture failed (${code}):\n${out}`);
      const gz = readFileSync(join(dir, `celery-${CELERY_VERSION}.json.gz`));
      captured = (
        parseCeleryJson(gunzipSync(gz).toString('utf8')) as {
          vectors: Vector[];
        }
      ).vectors;
      committed = celeryVectors<Vector>(CELERY_VERSION).vectors;
    }, 110_000);

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('holds the same vectors, in the same order, as the committed fixture', () => {
      expect(captured.map((v) => v.vector)).toEqual(
        committed.map((v) => v.vector),
      );
    });

    const isFresh = (v: Vector) =>
      v.backend === 'filesystem' && v.vector.startsWith('filesystem/plain-');

    it.each([
      ['api', 30],
      ['worker', 35],
    ])(
      'captures every filesystem plain-%s vector as Celery stored it in the fixture',
      (mode, count) => {
        const fresh = captured.filter((v) => isFresh(v) && v.mode === mode);
        expect(fresh.length).toBe(count);
        const byName = new Map(committed.map((v) => [v.vector, v]));
        for (const v of fresh)
          expect([v.vector, timeless(v)]).toEqual([
            v.vector,
            timeless(byName.get(v.vector)),
          ]);
        // the stored bytes were rewritten by this run (not copied from the fixture)
        const dates = fresh
          .flatMap((v) => v.stored)
          .map((s) => /"date_done": "([^"]+)"/.exec(String(s.raw_text))?.[1])
          .filter((d): d is string => d !== undefined);
        expect(dates.length).toBeGreaterThan(20);
        const old = new Set(
          committed
            .filter((v) => isFresh(v) && v.mode === mode)
            .flatMap((v) => v.stored)
            .map((s) => /"date_done": "([^"]+)"/.exec(String(s.raw_text))?.[1]),
        );
        expect(dates.filter((d) => old.has(d))).toEqual([]);
      },
    );

    it('carries the blocks it did not capture over unchanged', () => {
      const byName = new Map(committed.map((v) => [v.vector, v]));
      const kept = captured.filter((v) => !isFresh(v));
      expect(kept.length).toBe(committed.length - 65);
      for (const v of kept) expect(v).toEqual(byName.get(v.vector));
    });
  },
  [],
  ['5.6.3'],
);
