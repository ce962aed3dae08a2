/** Number of hash slots in a Redis Cluster. @internal */
export const CLUSTER_SLOTS = 16384;

const TABLE = ((): Uint16Array => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

/** CRC16-CCITT (XMODEM), the checksum Redis Cluster hashes keys with. @internal */
export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes)
    crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ b) & 0xff];
  return crc;
}

/**
 * The hash slot of a key, as `CLUSTER KEYSLOT`: CRC16 of the key's UTF-8 bytes modulo 16384,
 * or of its hash tag (the text between the first `{` and the next `}`, when not empty).
 * @internal
 */
export function keySlot(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  const open = bytes.indexOf(0x7b);
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1)
      return crc16(bytes.subarray(open + 1, close)) % CLUSTER_SLOTS;
  }
  return crc16(bytes) % CLUSTER_SLOTS;
}

/**
 * Indexes of `keys` grouped by slot, in first-seen order: what a multi-key command may carry
 * in one go on a cluster (a command whose keys span slots fails with CROSSSLOT).
 * @internal
 */
export function groupBySlot(keys: readonly string[]): number[][] {
  const groups = new Map<number, number[]>();
  keys.forEach((key, i) => {
    const slot = keySlot(key);
    const group = groups.get(slot);
    if (group) group.push(i);
    else groups.set(slot, [i]);
  });
  return [...groups.values()];
}
