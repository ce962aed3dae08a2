/**
 * The capture script regenerates the committed golden vectors: `npm run vectors:capture` for the
 * filesystem backend (no server needed), with Celery 5.6.3 (one version keeps it short; the
 * script is the same for all three), into a temp folder. Every captured api-mode vector must equal the committed one except for what depends on
 * the time of the run (date_done and other timestamps, hence byte lengths and hashes), and the
 * blocks it does not capture (worker mode, other backends) must be carried over unchanged.
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
/** Fields derived from the bytes (which hold date_done): the bytes themselves are compared. */
const DERIVED = new Set(['raw_length', 'raw_sha256']);

/** The vector with run-time parts replaced, for comparison. */
function timeless(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(RUN_TIME, '<time>');
  if (Array.isArray(value)) return value.map(timeless);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !DERIVED.has(k))
        .map(([k, v]) => [k, timeless(v)]),
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
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
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
      ]);
      if (code !== 0) throw new Error(`capture failed (${code}):\n${out}`);
      const gz = readFileSync(join(dir, `celery-${CELERY_VERSION}.json.gz`));
      captured = (
        parseCeleryJson(gunzipSync(gz).toString('utf8')) as {
          vectors: Vector[];
        }
      ).vectors;
      committed = celeryVectors<Vector>(CELERY_VERSION).vectors;
    });

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('holds the same vectors, in the same order, as the committed fixture', () => {
      expect(captured.map((v) => v.vector)).toEqual(
        committed.map((v) => v.vector),
      );
    });

    it('captures every filesystem api vector as Celery stored it in the fixture', () => {
      const fresh = captured.filter(
        (v) => v.backend === 'filesystem' && v.mode === 'api',
      );
      expect(fresh.length).toBeGreaterThanOrEqual(61);
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
      expect(dates.length).toBeGreaterThan(40);
      const old = new Set(
        committed
          .filter((v) => v.backend === 'filesystem' && v.mode === 'api')
          .flatMap((v) => v.stored)
          .map((s) => /"date_done": "([^"]+)"/.exec(String(s.raw_text))?.[1]),
      );
      expect(dates.filter((d) => old.has(d))).toEqual([]);
    });

    it('carries the blocks it did not capture over unchanged', () => {
      const byName = new Map(committed.map((v) => [v.vector, v]));
      const kept = captured.filter(
        (v) => !(v.backend === 'filesystem' && v.mode === 'api'),
      );
      expect(kept.length).toBe(committed.length - 61);
      for (const v of kept) expect(v).toEqual(byName.get(v.vector));
    });
  },
  [],
  ['5.6.3'],
);
