import { KeyQueue } from './key.queue.js';

describe('KeyQueue', () => {
  it('runs calls for one key in order, one at a time, and forgets idle keys', async () => {
    const q = new KeyQueue();
    const log: string[] = [];
    let active = 0;
    const job =
      (name: string, fail = false) =>
      async (): Promise<string> => {
        active++;
        expect(active).toBe(1);
        log.push(`start ${name}`);
        await new Promise((r) => setImmediate(r));
        log.push(`end ${name}`);
        active--;
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      q.run('k', job('a')),
      q.run('k', job('b', true)),
      q.run('k', job('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(log).toEqual([
      'start a',
      'end a',
      'start b',
      'end b',
      'start c',
      'end c',
    ]);
    await new Promise((r) => setImmediate(r));
    expect(q.size).toBe(0);
  });

  it('does not hold up other keys', async () => {
    const q = new KeyQueue();
    let release!: () => void;
    const slow = q.run('a', () => new Promise<void>((r) => (release = r)));
    await expect(q.run('b', () => Promise.resolve('b'))).resolves.toBe('b');
    release();
    await slow;
  });
});
