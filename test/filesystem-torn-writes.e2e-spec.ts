/**
 * Celery's filesystem backend truncates, then writes (issue 17 §4): an empty or cut-off file
 * is a write in progress, never PENDING and never a MalformedResultError, and no watch steps
 * back to PENDING. With real Celery 5.2.6 rewriting a 300 KB result in a loop.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstValueFrom, map, toArray } from 'rxjs';
import {
  MalformedResultError,
  createResultBackend,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';
import { describeWithCelery, runPython } from './support/python.js';
import { pause } from './support/service-contract.js';

const here = dirname(fileURLToPath(import.meta.url));
const quiet = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const doc = (id: string, status: string, result: unknown): string =>
  JSON.stringify({
    status,
    result,
    traceback: null,
    children: [],
    date_done: null,
    task_id: id,
  });

/** Statuses after the first non-PENDING one that are PENDING (must be none). */
const stepBacks = (statuses: readonly string[]): number => {
  const first = statuses.findIndex((s) => s !== 'PENDING');
  return first < 0
    ? 0
    : statuses.slice(first).filter((s) => s === 'PENDING').length;
};

describe('file:// torn writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-torn-'));
  let svc: ResultBackendService;
  beforeAll(async () => {
    svc = await createResultBackend(
      {
        url: `file://${dir}`,
        pollIntervalMs: 50,
        filesystem: { tornWriteGraceMs: 300 },
      },
      { logger: quiet },
    );
  });
  afterAll(async () => {
    await svc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Truncate, write the first `head` bytes, wait `gapMs`, write the rest (as Celery can). */
  async function tornWrite(
    id: string,
    text: string,
    head: number,
    gapMs: number,
  ) {
    const fd = openSync(join(dir, `celery-task-meta-${id}`), 'w');
    const bytes = Buffer.from(text);
    writeSync(fd, bytes, 0, head);
    await pause(gapMs);
    writeSync(fd, bytes, head, bytes.length - head);
    closeSync(fd);
  }

  it('waitFor survives 40 bytes, a 50 ms gap, then the rest', async () => {
    const id = randomUUID();
    await svc.markAsStarted(id);
    const wait = svc.waitFor<string>(id, { timeout: 20_000 });
    await pause(200);
    await tornWrite(id, doc(id, 'SUCCESS', 'whole'), 40, 50);
    await expect(wait).resolves.toBe('whole');
  });

  it('a read during the gap waits for the whole document', async () => {
    const id = randomUUID();
    await svc.markAsStarted(id);
    const writing = tornWrite(id, doc(id, 'SUCCESS', 'read'), 40, 100);
    await pause(20);
    await expect(svc.getTaskMeta(id)).resolves.toMatchObject({
      status: 'SUCCESS',
      result: 'read',
    });
    await writing;
  });

  it('an empty file that is being written is not PENDING', async () => {
    const id = randomUUID();
    await svc.markAsStarted(id);
    const writing = tornWrite(id, doc(id, 'SUCCESS', 'e'), 0, 100);
    await pause(20);
    await expect(svc.getStatus(id)).resolves.toBe('SUCCESS');
    await writing;
  });

  it('watch never steps back to PENDING across torn writes', async () => {
    const id = randomUUID();
    await svc.markAsStarted(id);
    const statuses = firstValueFrom(
      svc.watch(id, { timeout: 20_000 }).pipe(
        map((m) => m.status),
        toArray(),
      ),
    );
    await pause(100);
    for (let i = 0; i < 5; i++) {
      await tornWrite(id, doc(id, 'PROGRESS', { i }), 10, 30);
      await pause(30);
    }
    await tornWrite(id, doc(id, 'SUCCESS', 1), 0, 30);
    const seen = await statuses;
    expect(seen[0]).toBe('STARTED');
    expect(seen.at(-1)).toBe('SUCCESS');
    expect(stepBacks(seen)).toBe(0);
  });

  it('bytes that stay bad past the grace period fail with MalformedResultError', async () => {
    const id = randomUUID();
    const fd = openSync(join(dir, `celery-task-meta-${id}`), 'w');
    writeSync(fd, '{"status": "SUCC');
    closeSync(fd);
    await expect(svc.getTaskMeta(id)).rejects.toBeInstanceOf(
      MalformedResultError,
    );
    await expect(svc.waitFor(id, { timeout: 20_000 })).rejects.toBeInstanceOf(
      MalformedResultError,
    );
  });

  it('an empty file that stays empty reads as PENDING (as in Celery)', async () => {
    const id = randomUUID();
    closeSync(openSync(join(dir, `celery-task-meta-${id}`), 'w'));
    await expect(svc.getStatus(id)).resolves.toBe('PENDING');
  });
});

describeWithCelery('file:// while Celery rewrites a 300 KB result', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-torn-celery-'));
  let svc: ResultBackendService;
  beforeAll(async () => {
    svc = await createResultBackend(
      { url: `file://${dir}`, pollIntervalMs: 50 },
      { logger: quiet },
    );
  });
  afterAll(async () => {
    await svc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every watch and waitFor gets SUCCESS, no read says PENDING once started', async () => {
    const id = randomUUID();
    const watches = Array.from({ length: 20 }, () =>
      firstValueFrom(
        svc.watch(id, { timeout: 50_000 }).pipe(
          map((m) => m.status),
          toArray(),
        ),
      ),
    );
    const waits = Array.from({ length: 10 }, () =>
      svc.waitFor<{ done: boolean; blob: string }>(id, { timeout: 50_000 }),
    );
    const celery = runPython(
      [join(here, 'python', 'fs_celery_rewrite.py'), dir, id, '150', '300000'],
      { timeoutMs: 50_000 },
    );
    let finished = false;
    const reads: string[] = [];
    const reader = (async () => {
      while (!finished) {
        reads.push(await svc.getStatus(id));
        await pause(5);
      }
    })();
    const run = await celery.finally(() => {
      finished = true; // also when Celery failed: the reader must not loop forever
    });
    await reader;
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ rounds: 150 });
    for (const statuses of await Promise.all(watches)) {
      expect(statuses.at(-1)).toBe('SUCCESS');
      expect(stepBacks(statuses)).toBe(0);
    }
    for (const v of await Promise.all(waits)) {
      expect(v.done).toBe(true);
      expect(v.blob).toHaveLength(300_000);
    }
    expect(reads.length).toBeGreaterThan(0);
    expect(stepBacks(reads)).toBe(0);
  }, 60_000);
});

describe('no watch steps back to PENDING (cache+memory://)', () => {
  let svc: ResultBackendService;
  beforeAll(async () => {
    svc = await createResultBackend(
      { url: 'cache+memory://', pollIntervalMs: 50 },
      { logger: quiet },
    );
  });
  afterAll(() => svc?.close());

  it('a stored PENDING after STARTED is not emitted; a forget is', async () => {
    const id = randomUUID();
    const statuses = firstValueFrom(
      svc.watch(id, { timeout: 10_000 }).pipe(
        map((m) => m.status),
        toArray(),
      ),
    );
    await pause(50);
    await svc.markAsStarted(id);
    await pause(50);
    await svc.storeResult(id, null, 'PENDING');
    await pause(50);
    await svc.forget(id);
    await pause(50);
    await svc.markAsDone(id, 1);
    expect(await statuses).toEqual([
      'PENDING',
      'STARTED',
      'PENDING',
      'SUCCESS',
    ]);
  });
});
