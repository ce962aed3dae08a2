/**
 * The filesystem store's `fs.watch` dies with its directory. When the result directory is
 * deleted and created again (an administrator's `rm -rf` + `mkdir`, a cleanup script), a watch
 * keeps working: the push re-arms `fs.watch` on the path, polls while the directory is
 * missing, and the engine re-reads every watched key, so results written into the new
 * directory are seen long before the safety re-read (10 × `pollIntervalMs`, here 50 s).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom, take, timeout } from 'rxjs';
import { createResultBackend } from '../libs/result-backend/src/index.js';
import {
  createFilesystemStore,
  type FilesystemResultStore,
} from '../libs/result-backend/src/stores/filesystem/filesystem.store.js';
import { closesAfterEach } from './support/cleanup.js';
import { eventually, RecordingLogger } from './support/redis-server.js';

const own = closesAfterEach();
let root: string;
let dir: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'fs-recreate-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));
beforeEach(() => {
  dir = join(root, randomUUID());
  mkdirSync(dir);
});

/** Delete the result directory and create it again, as `rm -rf dir && mkdir dir` does. */
function recreate(): void {
  rmSync(dir, { recursive: true });
  mkdirSync(dir);
}

describe('filesystem watch: the results directory is deleted and recreated', () => {
  it('watch and waitFor see results written into the recreated directory', async () => {
    // Push store: without re-arming, only the 50 s safety re-read would find the results.
    const opts = { url: `file://${dir}`, pollIntervalMs: 5_000 };
    const svc = own(await createResultBackend(opts));
    const [a, b] = [randomUUID(), randomUUID()];
    const watched = firstValueFrom(
      svc
        .watch(a, { timeout: 10_000 })
        .pipe(filter((m) => m.status !== 'PENDING')),
    );
    // The watch is armed once its first read answered (PENDING).
    await firstValueFrom(svc.watch(a, { timeout: 10_000 }));
    recreate();
    const worker = own(await createResultBackend(opts));
    await worker.markAsDone(a, 'after recreate');
    await expect(watched).resolves.toMatchObject({
      status: 'SUCCESS',
      result: 'after recreate',
    });
    // A wait started afterwards is pushed too.
    const waited = svc.waitFor(b, { timeout: 10_000 });
    await worker.markAsDone(b, 2);
    await expect(waited).resolves.toBe(2);
  });

  it('the push re-arms fs.watch on the path: degraded while it is missing, change events after', async () => {
    const logger = new RecordingLogger();
    const store = own(
      (await createFilesystemStore(
        { kind: 'filesystem', path: dir },
        { logger, pollIntervalMs: 5_000 },
      )) as FilesystemResultStore,
    );
    const events: string[] = [];
    const sub = store.push.events.subscribe((e) => events.push(e.type));
    own(sub, (s) => s.unsubscribe());
    await store.push.add(['celery-task-meta-k']);
    expect(store.push.active).toBe('watch');
    rmSync(dir, { recursive: true });
    await eventually(() => store.push.active === 'degraded');
    expect(logger.lines).toContainEqual(
      `result directory ${dir} is missing; polling until it is back`,
    );
    mkdirSync(dir);
    await eventually(() => store.push.active === 'watch');
    expect(events).toEqual(['degraded', 'recovered']);
    const change = firstValueFrom(
      store.push.events.pipe(
        filter((e) => e.type === 'change'),
        take(1),
        timeout(5_000),
      ),
    );
    writeFileSync(join(dir, 'celery-task-meta-k'), '{}');
    await expect(change).resolves.toEqual({
      type: 'change',
      key: 'celery-task-meta-k',
    });
  });
});
