/**
 * The filesystem store's I/O modes on a real directory: `auto` picks blocking reads on a
 * local filesystem, and no mode lets a caller that polls in a loop starve the event loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFilesystemStore } from '../libs/result-backend/src/stores/filesystem/filesystem.store.js';
import type { ResultStore } from '../libs/result-backend/src/stores/result-store.interface.js';

const ctx = {
  logger: {
    log: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  },
  pollIntervalMs: 50,
};

describe.each(['auto', 'async', 'sync'] as const)(
  'filesystem store, ioMode %s',
  (ioMode) => {
    const dir = mkdtempSync(join(tmpdir(), `rb-io-${ioMode}-`));
    let store: ResultStore;
    beforeAll(async () => {
      store = await createFilesystemStore(
        { kind: 'filesystem', path: dir },
        ctx,
        { ioMode },
      );
    });
    afterAll(async () => {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a read loop lets timers and writes run (no starvation)', async () => {
      const key = 'celery-task-meta-loop';
      let stop = false;
      const timer = setTimeout(() => (stop = true), 100);
      let reads = 0;
      const writer = store.set(
        key,
        '{"status": "SUCCESS", "result": 1, "task_id": "loop"}',
        null,
        true,
      );
      while (!stop) {
        await store.get(key);
        reads++;
      }
      clearTimeout(timer);
      await writer;
      expect(reads).toBeGreaterThan(0);
      expect(await store.get(key)).toContain('"SUCCESS"');
    }, 5000);
  },
);
