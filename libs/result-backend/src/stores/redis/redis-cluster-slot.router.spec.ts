import {
  CLUSTER_SLOTS,
  crc16,
  groupBySlot,
  keySlot,
} from './redis-cluster-slot.router.js';

describe('redis cluster key slots', () => {
  it('computes CRC16 XMODEM (check value of "123456789" is 0x31C3)', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
  });

  it('matches CLUSTER KEYSLOT for plain keys (values from redis-server 7.0)', () => {
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('celery-task-meta-abc')).toBe(8170);
    expect(keySlot('')).toBe(0);
  });

  it('hashes only a non-empty hash tag', () => {
    expect(keySlot('{user1000}.following')).toBe(
      keySlot('{user1000}.followers'),
    );
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{}{bar}')).toBe(keySlot('foo{}{bar}')); // empty first tag: whole key
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'));
  });

  it('hashes UTF-8 bytes', () => {
    const slot = keySlot('celery-task-meta-é');
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(slot).toBeLessThan(CLUSTER_SLOTS);
    expect(slot).toBe(
      crc16(Buffer.from('celery-task-meta-é', 'utf8')) % CLUSTER_SLOTS,
    );
  });

  it("keeps Celery's chord keys apart unless hash-tagged", () => {
    const gid = 'celery-taskset-meta-9a4b';
    const plain = new Set([`${gid}.j`, `${gid}.t`, `${gid}.s`].map(keySlot));
    expect(plain.size).toBeGreaterThan(1);
    const tagged = new Set(
      [`{app}${gid}.j`, `{app}${gid}.t`, `{app}${gid}.s`].map(keySlot),
    );
    expect(tagged.size).toBe(1);
  });

  it('groups indexes by slot in first-seen order', () => {
    expect(groupBySlot(['{a}1', 'x', '{a}2', 'x'])).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(groupBySlot([])).toEqual([]);
  });
});
