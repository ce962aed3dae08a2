import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createResultBackend } from '../libs/result-backend/src/index.js';

describe('service cleanup() on file:// with a global key prefix', () => {
  it('deletes the expired results under the prefix, as Celery 5.6 does, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-fs-cleanup-'));
    const svc = await createResultBackend(
      { url: `file://${dir}`, keyPrefix: 'svc:', expires: 3600 },
      { read: () => undefined },
    );
    try {
      const ids = ['a', 'b', 'c', 'd', 'e'];
      for (const id of ids) await svc.storeResult(id, 1, 'SUCCESS');
      await writeFile(join(dir, 'celery-task-meta-unprefixed'), 'x');
      const old = (Date.now() - 2 * 3600 * 1000) / 1000;
      for (const name of await readdir(dir))
        await utimes(join(dir, name), old, old);
      expect((await readdir(dir)).sort()).toEqual([
        'celery-task-meta-unprefixed',
        ...ids.map((id) => `svc:celery-task-meta-${id}`),
      ]);
      expect(await svc.cleanup()).toBe(5);
      expect(await readdir(dir)).toEqual(['celery-task-meta-unprefixed']);
    } finally {
      await svc.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
