import { oneAtATimeHash, pickServerIndex } from './memcached-hash.router.js';

/**
 * Placement seen with real pylibmc 1.6.3 / libmemcached 1.0.18 (Debian 12, x86-64), default
 * behaviors, with 2, 3 and 5 servers: each key was written through pylibmc and then found by
 * asking every server directly (test/python/mc_placement.py).
 */
const PYLIBMC_PLACEMENT: readonly (readonly [
  string,
  readonly [number, number, number],
])[] = [
  ['celery-task-meta-9352a986-f22e-5e05-b52b-612654f655d5', [1, 0, 0]],
  ['celery-task-meta-8a94270f-d19a-5e22-89ae-ee8771e17be8', [1, 1, 3]],
  ['celery-task-meta-dd710022-1fbd-545e-b363-fd45decbcb5d', [1, 1, 1]],
  ['celery-task-meta-0c3943ef-957b-5b45-a12d-c1c29cfaa120', [0, 2, 1]],
  ['celery-task-meta-3c94e163-4a01-5ae4-a857-ee7b2b63e382', [0, 2, 0]],
  ['celery-task-meta-d8c0efb0-39a2-50a5-b576-42b20c9b004c', [0, 0, 1]],
  ['celery-task-meta-52da7c0b-4c26-5fc2-80c4-b24bfa198672', [0, 2, 0]],
  ['celery-task-meta-5f2ef7bc-c736-596a-bcbe-47d888072916', [1, 2, 1]],
  ['celery-taskset-meta-fb5226d5-e091-55a9-9b0c-4a4686710358', [0, 0, 4]],
  ['chord-unlock-fb5226d5-e091-55a9-9b0c-4a4686710358', [0, 0, 1]],
  ['x', [1, 1, 4]],
  ['celery-task-meta-\u00e9\u2713\ud83c\udf89', [0, 1, 3]],
  ['k\u00ff', [0, 2, 4]],
];

describe('memcached key placement (pylibmc default behaviors)', () => {
  it.each(PYLIBMC_PLACEMENT)(
    'places %s like pylibmc on 2, 3 and 5 servers',
    (key, expected) => {
      expect([2, 3, 5].map((n) => pickServerIndex(key, n))).toEqual(expected);
    },
  );

  it('uses server 0 when there is only one', () => {
    expect(pickServerIndex('anything', 1)).toBe(0);
  });

  it('hashes like the C one-at-a-time function (known values)', () => {
    expect(oneAtATimeHash(new Uint8Array())).toBe(0);
    // Bob Jenkins' reference value for "a": 0xca2e9442.
    expect(oneAtATimeHash(Buffer.from('a'))).toBe(0xca2e9442);
  });

  it('sign-extends bytes >= 0x80 as libmemcached does on x86-64', () => {
    const signed = oneAtATimeHash(Buffer.from([0xff]));
    expect(signed).not.toBe(oneAtATimeHash(Buffer.from([0x7f])));
    // 'k\u00ff' differs from an unsigned-byte hash on 3 servers; the table above pins it.
    expect(pickServerIndex('k\u00ff', 3)).toBe(2);
  });
});
