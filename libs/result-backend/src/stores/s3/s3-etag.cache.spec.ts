import { EtagCache } from './s3-etag.cache.js';

describe('EtagCache', () => {
  it('evicts the least recently used entry beyond maxEntries', () => {
    const c = new EtagCache(2);
    c.set('a', '"1"', 'A');
    c.set('b', '"2"', 'B');
    expect(c.get('a')?.body).toBe('A'); // a is now the most recent
    c.set('c', '"3"', 'C');
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')?.etag).toBe('"1"');
    expect(c.size).toBe(2);
  });

  it('bounds total body size and never caches a body over 1/16 of it', () => {
    const c = new EtagCache(100, 160);
    c.set('big', '"x"', 'x'.repeat(11));
    expect(c.get('big')).toBeUndefined();
    for (let i = 0; i < 20; i++) c.set(`k${i}`, '"e"', 'y'.repeat(10));
    expect(c.size).toBe(16);
    expect(c.get('k19')).toBeDefined();
    expect(c.get('k3')).toBeUndefined();
  });

  it('replaces, deletes and clears; size 0 disables it', () => {
    const c = new EtagCache(10);
    c.set('a', '"1"', 'A');
    c.set('a', '"2"', 'AA');
    expect(c.get('a')).toEqual({ etag: '"2"', body: 'AA' });
    c.delete('a');
    c.delete('a');
    expect(c.size).toBe(0);
    c.set('b', '"1"', 'B');
    c.clear();
    expect(c.get('b')).toBeUndefined();
    const off = new EtagCache(0);
    off.set('a', '"1"', 'A');
    expect(off.size).toBe(0);
  });
});
