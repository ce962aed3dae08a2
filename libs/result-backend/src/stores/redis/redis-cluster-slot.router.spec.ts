import * as slots from './redis-cluster-slot.router.js';

describe('redis cluster key slots', () => {
  it('computes CRC16 XMODEM (check value of "123456789" is 0x31C3)', () => {
    expect(slots.crc16(Buffer.from('123456789'))).toBe(0x31c3);
  });

  it('matches CLUSTER KEYSLOT for plain keys (values from redis-server 7.0)', () => {
    expect(slots.keySlot('foo')).toBe(12182);
    expect(slots.keySlot('celery-task-meta-abc')).toBe(8170);
    expect(slots.keySlot('')).toBe(0);
  });

  it('hashes only a non-empty hash tag', () => {
    expect(slots.keySlot('{user1000}.following')).toBe(
      slots.keySlot('{user1000}.followers'),
    );
    expect(slots.keySlot('{user1000}.following')).toBe(
      slots.keySlot('user1000'),
    );
    expect(slots.keySlot('foo{}{bar}')).toBe(slots.keySlot('foo{}{bar}')); // empty first tag: whole key
    expect(slots.keySlot('foo{}{bar}')).not.toBe(slots.keySlot('bar'));
    expect(slots.keySlot('foo{{bar}}zap')).toBe(slots.keySlot('{bar'));
    expect(slots.keySlot('foo{bar}{zap}')).toBe(slots.keySlot('bar'));
  });

  it('hashes UTF-8 bytes', () => {
    const slot = slots.keySlot('celery-task-meta-é');
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(slot).toBeLessThan(slots.CLUSTER_SLOTS);
    expect(slot).toBe(
      slots.crc16(Buffer.from('celery-task-meta-é', 'utf8')) %
        slots.CLUSTER_SLOTS,
    );
  });

  it("keeps Celery's chord keys apart unless hash-tagged", () => {
    const gid = 'celery-taskset-meta-9a4b';
    const plain = new Set(
      [`${gid}.j`, `${gid}.t`, `${gid}.s`].map(slots.keySlot),
    );
    expect(plain.size).toBeGreaterThan(1);
    const tagged = new Set(
      [`{app}${gid}.j`, `{app}${gid}.t`, `{app}${gid}.s`].map(slots.keySlot),
    );
    expect(tagged.size).toBe(1);
  });

  it('groups indexes by slot in first-seen order', () => {
    expect(slots.groupBySlot(['{a}1', 'x', '{a}2', 'x'])).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(slots.groupBySlot([])).toEqual([]);
  });
});
