/**
 * Key placement over several memcached servers, exactly as Celery's memcached client
 * (pylibmc 1.6 on libmemcached 1.0.18, default behaviors) does it, so Python and Node
 * processes sharing a server list find each other's keys.
 *
 * Celery builds `pylibmc.Client(servers)` with no behaviors (`cache_backend_options` is empty by
 * default), so libmemcached uses `hash = default` (Bob Jenkins' one-at-a-time hash, as
 * `hashkit_one_at_a_time`) and `distribution = modula` (`hash % number of servers`), in the
 * order the servers were given. One server always gets index 0.
 */

/**
 * libmemcached's `hashkit_one_at_a_time` over the key's UTF-8 bytes. The C code reads each
 * byte through a `const char *` and widens it to `uint32_t`; `char` is signed on x86-64, so
 * bytes >= 0x80 are sign-extended (0xC3 counts as 0xFFFFFFC3). This matters only for
 * non-ASCII keys, and it is what pylibmc does on the x86-64 machines Celery runs on (checked
 * against the real client; on ARM, where `char` is unsigned, libmemcached would differ).
 * @internal
 */
export function oneAtATimeHash(bytes: Uint8Array): number {
  let h = 0;
  for (const b of bytes) {
    const v = b >= 0x80 ? (b | 0xffffff00) >>> 0 : b;
    h = (h + v) >>> 0;
    h = (h + (h << 10)) >>> 0;
    h = (h ^ (h >>> 6)) >>> 0;
  }
  h = (h + (h << 3)) >>> 0;
  h = (h ^ (h >>> 11)) >>> 0;
  h = (h + (h << 15)) >>> 0;
  return h;
}

/**
 * Index of the server (in Celery's `host:port;host:port` order) that pylibmc uses for `key`.
 * @internal
 */
export function pickServerIndex(key: string, serverCount: number): number {
  if (serverCount <= 1) return 0;
  return oneAtATimeHash(Buffer.from(key, 'utf8')) % serverCount;
}
