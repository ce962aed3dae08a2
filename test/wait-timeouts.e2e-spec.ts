/**
 * Timeout edges against real stores: `waitFor`/`join` with `timeout: 0` on a result that is
 * already ready return it every time (Celery's `get(timeout=0)` reads once first), on one that
 * is not ready fail with `ResultTimeoutError` (a deliberate difference: Celery's
 * `get(timeout=0)` waits forever, 0 being falsy in `wait_for`), and closing
 * right after a watch or wait ends logs nothing (no false "read failed, retrying" WARN from a
 * flush that runs after close). Redis is a real redis-server; filesystem a temp directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { lastValueFrom } from 'rxjs';
import {
  createResultBackend,
  ResultTimeoutError,
} from '../libs/result-backend/src/index.js';
import { closesAfterEach } from './support/cleanup.js';
import { describeWithServer } from './support/skip-gate.js';
import {
  RecordingLogger,
  startRedis,
  type TestRedis,
} from './support/redis-server.js';

const TRIES = 20;

/** Every line logged after close, once the event loop had time to run late flushes. */
async function linesAfterClose(
  logger: RecordingLogger,
  close: () => Promise<void>,
): Promise<string[]> {
  const before = logger.lines.length;
  await close();
  await new Promise((r) => setTimeout(r, 100)); // let any flush scheduled before close run
  return logger.lines.slice(before);
}

function timeoutCases(url: () => string): void {
  const own = closesAfterEach();

  it(`waitFor and join with timeout 0 return a ready result every time (${TRIES} tries)`, async () => {
    const results = own(await createResultBackend({ url: url() }));
    const id = randomUUID();
    await results.markAsDone(id, 'ready!');
    for (let i = 0; i < TRIES; i++) {
      await expect(results.waitFor(id, { timeout: 0 })).resolves.toBe('ready!');
      await expect(results.join([id, id], { timeout: 0 })).resolves.toEqual([
        'ready!',
        'ready!',
      ]);
    }
  });

  it('waitFor and join with timeout 0 on a pending task fail with ResultTimeoutError (Celery would wait forever)', async () => {
    const results = own(await createResultBackend({ url: url() }));
    const [id, ready] = [randomUUID(), randomUUID()];
    await results.markAsDone(ready, 1);
    await expect(results.waitFor(id, { timeout: 0 })).rejects.toEqual(
      new ResultTimeoutError([id], 0),
    );
    await expect(results.join([ready, id], { timeout: 0 })).rejects.toEqual(
      new ResultTimeoutError([id], 0),
    );
  });

  it('closing right after a watch and a waitFor logs nothing', async () => {
    const logger = new RecordingLogger();
    const results = own(await createResultBackend({ url: url() }, { logger }));
    const [a, b] = [randomUUID(), randomUUID()];
    const watched = lastValueFrom(results.watch(a, { timeout: 10_000 }));
    const waited = results.waitFor(b, { timeout: 10_000 });
    await results.markAsDone(a, 1);
    await results.markAsDone(b, 2);
    await expect(watched).resolves.toMatchObject({ status: 'SUCCESS' });
    await expect(waited).resolves.toBe(2);
    expect(await linesAfterClose(logger, () => results.close())).toEqual([]);
  });
}

describe('wait timeouts: memory store', () => {
  timeoutCases(() => 'cache+memory://');
});

describe('wait timeouts: filesystem store', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rb-wait-timeouts-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  timeoutCases(() => `file://${dir}`);
});

describeWithServer(['redis-server'], 'wait timeouts: redis store', () => {
  let redis: TestRedis;
  beforeAll(async () => (redis = await startRedis()));
  afterAll(() => redis?.stop());
  timeoutCases(() => redis.url);
});
