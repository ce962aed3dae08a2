import type { Redis } from 'ioredis';

/**
 * Lua helper: does the stored text have top-level `"status": "SUCCESS"`?
 * 1. Celery's own documents start with `{"status": "SUCCESS"` (field order is fixed): prefix check.
 * 2. No `"SUCCESS"` anywhere: not a success document.
 * 3. Otherwise decode with cjson under pcall (it accepts NaN/Infinity/big numbers).
 * 4. cjson refuses some texts Python writes (lone surrogates `\ud800`, over 1000 levels):
 *    a small scanner then finds the top-level `"status"` key (last one wins, as in Python).
 */
const IS_SUCCESS_LUA = `
local function scan_status(s)
  local i, n, depth, found = 1, #s, 0, false
  while i <= n do
    local c = string.byte(s, i)
    if c == 34 then
      local j = i + 1
      while true do
        local q = string.find(s, '[\\\\"]', j)
        if not q then return found end
        if string.byte(s, q) == 92 then j = q + 2 else j = q break end
      end
      if depth == 1 then
        local after = string.match(s, '^%s*:%s*()', j + 1)
        if after then
          if string.sub(s, i, j) == '"status"' then
            found = string.sub(s, after, after + 8) == '"SUCCESS"'
          end
        end
      end
      i = j + 1
    elseif c == 123 or c == 91 then
      depth = depth + 1
      i = i + 1
    elseif c == 125 or c == 93 then
      depth = depth - 1
      i = i + 1
    else
      i = i + 1
    end
  end
  return found
end
local function is_success(s)
  if string.sub(s, 1, 20) == '{"status": "SUCCESS"' then
    local nxt = string.sub(s, 21, 21)
    if nxt == ',' or nxt == '}' then return true end
  end
  if not string.find(s, '"SUCCESS"', 1, true) then return false end
  local ok, doc = pcall(cjson.decode, s)
  if ok then return type(doc) == 'table' and doc.status == 'SUCCESS' end
  return scan_status(s)
end
`;

/**
 * `celerySet key value ttl guard` → 1 written, 0 kept (current value is a SUCCESS document).
 * SETEX (or SET when ttl is '') plus PUBLISH of the same bytes on the key's channel: Celery's
 * `GET` + `MULTI SETEX PUBLISH EXEC`, made atomic. A value of another type under the key
 * (GET fails with WRONGTYPE) is overwritten, as SET would.
 * @internal
 */
export const CELERY_SET_LUA = `${IS_SUCCESS_LUA}
if ARGV[3] == '1' then
  local cur = redis.pcall('GET', KEYS[1])
  if type(cur) == 'string' and is_success(cur) then return 0 end
end
if ARGV[2] == '' then
  redis.call('SET', KEYS[1], ARGV[1])
else
  redis.call('SETEX', KEYS[1], ARGV[2], ARGV[1])
end
redis.call('PUBLISH', KEYS[1], ARGV[1])
return 1
`;

/**
 * `celeryChordPart j t s score member ttl` → `[count, .t, .s]`: exactly the commands of Celery's
 * `on_chord_part_return` pipeline (ZADD, ZCOUNT -inf +inf, GET .t, GET .s, EXPIRE ×3 when ttl).
 * @internal
 */
export const CELERY_CHORD_PART_LUA = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
local count = redis.call('ZCOUNT', KEYS[1], '-inf', '+inf')
local extra = redis.call('GET', KEYS[2])
local size = redis.call('GET', KEYS[3])
if ARGV[3] ~= '' then
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  redis.call('EXPIRE', KEYS[3], ARGV[3])
end
return {count, extra, size}
`;

/** `celeryIncr key ttl` → INCR, then EXPIRE when ttl is not ''. @internal */
export const CELERY_INCR_LUA = `
local v = redis.call('INCR', KEYS[1])
if ARGV[1] ~= '' then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return v
`;

/** The script commands a Redis store client carries after {@link defineRedisScripts}. @internal */
export interface RedisScriptCommands {
  celerySet(
    key: string,
    value: string,
    ttl: string,
    guard: '0' | '1',
  ): Promise<number>;
  celeryChordPart(
    j: string,
    t: string,
    s: string,
    score: string,
    member: string,
    ttl: string,
  ): Promise<[number, string | null, string | null]>;
  celeryIncr(key: string, ttl: string): Promise<number>;
}

/** A client that can define scripts: a Redis connection (a Cluster has the same method). @internal */
export type ScriptableClient = Pick<Redis, 'defineCommand'>;

/**
 * Define the store's Lua scripts on a client (idempotent per client). ioredis sends EVAL the
 * first time on each socket and EVALSHA afterwards, and falls back to EVAL on NOSCRIPT (after
 * a server restart or SCRIPT FLUSH).
 * @internal
 */
export function defineRedisScripts(
  client: ScriptableClient,
): RedisScriptCommands {
  const c = client as ScriptableClient & Partial<RedisScriptCommands>;
  if (typeof c.celerySet !== 'function') {
    client.defineCommand('celerySet', { numberOfKeys: 1, lua: CELERY_SET_LUA });
    client.defineCommand('celeryChordPart', {
      numberOfKeys: 3,
      lua: CELERY_CHORD_PART_LUA,
    });
    client.defineCommand('celeryIncr', {
      numberOfKeys: 1,
      lua: CELERY_INCR_LUA,
    });
  }
  return client as unknown as RedisScriptCommands;
}

/** TTL argument of the scripts: whole seconds as text, '' for none (Celery: `int(expires)`, falsy ⇒ SET). @internal */
export function ttlArgument(ttl: number | null): string {
  if (ttl === null || !Number.isFinite(ttl)) return '';
  const seconds = Math.trunc(ttl);
  return seconds > 0 ? String(seconds) : '';
}

/**
 * One Celery write through the SET+PUBLISH script (guarded atomically when asked), after the
 * payload limit check. Shared by the single-node, Sentinel and Cluster stores.
 * @internal
 */
export function runCelerySet(
  scripts: RedisScriptCommands,
  run: <T>(op: () => Promise<T>) => Promise<T>,
  write: {
    key: string;
    value: string;
    ttl: number | null;
    guardSuccess: boolean;
  },
): Promise<'written' | 'kept-success'> {
  return run(() =>
    scripts.celerySet(
      write.key,
      write.value,
      ttlArgument(write.ttl),
      write.guardSuccess ? '1' : '0',
    ),
  ).then((written) => (written === 1 ? 'written' : 'kept-success'));
}
