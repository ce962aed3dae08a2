import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, unlinkFile } from './file-io.util.js';
import type { KeyQueue } from '../../utils/key.queue.js';
import { mapConcurrent } from '../../utils/map-concurrent.util.js';

/**
 * Celery's `FilesystemBackend.cleanup()`: delete the files whose names start with one of
 * `prefixes` and whose mtime is older than `now - expiresSeconds`. Other files (the
 * store's temp files, Celery's `.fs-backend-*` probes, foreign files) are never touched.
 * Each candidate is re-checked and removed under the key's lock, so a write that just
 * landed in this process is not deleted. Returns how many files were removed.
 * @internal
 */
export async function cleanupDirectory(
  dir: string,
  prefixes: readonly string[],
  expiresSeconds: number,
  lock: KeyQueue,
  now = Date.now(),
): Promise<number> {
  if (!expiresSeconds || expiresSeconds <= 0) return 0;
  const cutoffMs = now - expiresSeconds * 1000;
  const names = (await readdir(dir)).filter((n) =>
    prefixes.some((p) => n.startsWith(p)),
  );
  const removed = await mapConcurrent(names, 16, (name) =>
    lock.run(name, async () => {
      const path = join(dir, name);
      try {
        const st = await stat(path);
        if (!st.isFile() || st.mtimeMs >= cutoffMs) return 0;
      } catch (e) {
        if (errnoCode(e) === 'ENOENT') return 0;
        throw e;
      }
      return (await unlinkFile(path)) ? 1 : 0;
    }),
  );
  return removed.reduce<number>((a, b) => a + b, 0);
}
