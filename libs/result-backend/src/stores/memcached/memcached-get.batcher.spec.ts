import { GetBatcher } from './memcached-get.batcher.js';
import type { McItem } from './memcached-reply.parser.js';

const item = (key: string): McItem => ({
  key,
  flags: 16,
  data: Buffer.from(key),
});

describe('GetBatcher', () => {
  it('sends the reads of one tick as one request per server, duplicates once', async () => {
    const calls: [number, readonly string[]][] = [];
    const b = new GetBatcher((server, keys) => {
      calls.push([server, keys]);
      return Promise.resolve(keys.filter((k) => k !== 'missing').map(item));
    });
    const got = await Promise.all([
      b.get(0, 'a'),
      b.get(1, 'b'),
      b.get(0, 'a'),
      b.get(0, 'missing'),
      b.get(0, 'c'),
    ]);
    expect(calls).toEqual([
      [0, ['a', 'missing', 'c']],
      [1, ['b']],
    ]);
    expect(got.map((i) => i?.key)).toEqual(['a', 'b', 'a', undefined, 'c']);
    await b.get(0, 'a');
    expect(calls.length).toBe(3);
  });

  it('rejects every read of a failed request, and only those', async () => {
    const b = new GetBatcher((server) =>
      server === 0
        ? Promise.reject(new Error('down'))
        : Promise.resolve([item('b')]),
    );
    const [a, bb] = await Promise.allSettled([b.get(0, 'a'), b.get(1, 'b')]);
    expect(a.status).toBe('rejected');
    expect(bb.status === 'fulfilled' && bb.value?.key).toBe('b');
  });
});
