import type { TaskMeta } from '../protocol/task-meta.js';
import { batchReads } from './read.batcher.js';

const meta = (id: string): TaskMeta =>
  ({ taskId: id, status: 'SUCCESS', result: id }) as unknown as TaskMeta;

describe('batchReads', () => {
  it('reads the distinct ids of calls made in one tick once, and each caller gets the shared map', async () => {
    const reads: string[][] = [];
    const read = batchReads((ids) => {
      reads.push([...ids]);
      return Promise.resolve(new Map(ids.map((id) => [id, meta(id)])));
    });
    const results = await Promise.all([
      read(['a']),
      read(['b', 'a']),
      Promise.resolve().then(() => read(['c'])),
    ]);
    expect(reads).toEqual([['a', 'b', 'c']]);
    expect(results[0]).toBe(results[1]);
    expect([...results[2].keys()]).toEqual(['a', 'b', 'c']);
  });

  it('starts a new batch for calls made after the flush', async () => {
    const reads: string[][] = [];
    const read = batchReads((ids) => {
      reads.push([...ids]);
      return Promise.resolve(new Map());
    });
    await read(['a']);
    await read(['b']);
    await new Promise((r) => setImmediate(r));
    await read(['c']);
    expect(reads).toEqual([['a'], ['b'], ['c']]);
  });

  it('gives every caller of a batch its error', async () => {
    const read = batchReads(() => Promise.reject(new Error('down')));
    const all = await Promise.allSettled([read(['a']), read(['b'])]);
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
