/**
 * The raw store contract every ResultStore must pass against its real server:
 * get/mget/set/delete, "SUCCESS is final", TTL-less writes, push ordering.
 * Call inside a describe() whose beforeAll starts the server.
 */
import { firstValueFrom, filter, take, timeout } from 'rxjs';
import type {
  ResultStore,
  StoreEvent,
} from '../../libs/result-backend/src/stores/result-store.interface.js';
import { decodeTaskMeta } from '../../libs/result-backend/src/protocol/index.js';

const doc = (status: string, id: string, result: unknown = null): string =>
  `{"status": "${status}", "result": ${JSON.stringify(result)}, "traceback": null, "children": [], "date_done": null, "task_id": "${id}"}`;

let seq = 0;
/** A fresh key per test so suites never see each other's data. */
export const freshKey = (prefix = 'celery-task-meta-'): string =>
  `${prefix}contract-${process.pid}-${Date.now().toString(36)}-${++seq}`;

/**
 * What a row-based store keeps of a task document (SQL stores rebuild the text from columns).
 * `autoDateDone`: the store sets `date_done` itself on every write (django-celery-results'
 * `auto_now`), so only its presence is compared.
 */
function rowView(text: string | null, autoDateDone = false): unknown {
  if (text === null) return null;
  const m = decodeTaskMeta('?', text);
  return [m.status, m.result, m.traceback, autoDateDone ? null : m.dateDoneRaw];
}

/**
 * Registers the raw store contract tests. `getStore` returns the store under test (opened in
 * beforeAll). `rows`: the store keeps task documents in columns (SQL), so only Celery task
 * documents can be written and they read back equal in value, not in bytes. `autoDateDone`:
 * the store always sets `date_done` (django-celery-results).
 */
export function runStoreContract(
  getStore: () => ResultStore,
  caps: { push: boolean; rows?: boolean; autoDateDone?: boolean },
): void {
  /** A value to store under `key`: the tag itself, or a task document holding it. */
  const val = (key: string, tag: string): string =>
    caps.rows ? doc('SUCCESS', key, tag) : tag;
  const same = (got: string | null, written: string | null): void => {
    if (caps.rows)
      expect(rowView(got, caps.autoDateDone)).toEqual(
        rowView(written, caps.autoDateDone),
      );
    else expect(got).toBe(written);
  };
  describe('raw store contract', () => {
    it('reads a missing key as null', async () => {
      expect(await getStore().get(freshKey())).toBeNull();
    });

    it('writes and reads back the exact bytes, including non-ASCII escapes and NaN', async () => {
      const key = freshKey();
      const value =
        '{"status": "SUCCESS", "result": [NaN, "\\u00e9\\ud83c\\udf89", 12345678901234567890], "task_id": "x"}';
      expect(await getStore().set(key, value, 3600, true)).toBe('written');
      same(await getStore().get(key), value);
    });

    it('overwrites unguarded and keeps SUCCESS when guarded', async () => {
      const key = freshKey();
      const s = getStore();
      expect(await s.set(key, doc('STARTED', key), 3600, true)).toBe('written');
      expect(await s.set(key, doc('SUCCESS', key, 1), 3600, true)).toBe(
        'written',
      );
      expect(await s.set(key, doc('FAILURE', key), 3600, true)).toBe(
        'kept-success',
      );
      same(await s.get(key), doc('SUCCESS', key, 1));
      expect(await s.set(key, doc('FAILURE', key), 3600, false)).toBe(
        'written',
      );
      same(await s.get(key), doc('FAILURE', key));
    });

    it('writes without expiry when ttl is null', async () => {
      const key = freshKey();
      await getStore().set(key, doc('SUCCESS', key), null, true);
      same(await getStore().get(key), doc('SUCCESS', key));
    });

    it('mget returns values in key order with null for missing keys', async () => {
      const keys = Array.from({ length: 5 }, () => freshKey());
      await getStore().set(keys[1], val(keys[1], 'one'), 60, false);
      await getStore().set(keys[3], val(keys[3], 'three'), 60, false);
      const got = await getStore().mget(keys);
      expect(got.map((g) => g === null)).toEqual([
        true,
        false,
        true,
        false,
        true,
      ]);
      same(got[1], val(keys[1], 'one'));
      same(got[3], val(keys[3], 'three'));
      expect(await getStore().mget([])).toEqual([]);
    });

    it('mget handles many keys (batching)', async () => {
      const keys = Array.from({ length: 300 }, () => freshKey());
      await Promise.all(
        keys
          .filter((_, i) => i % 3 === 0)
          .map((k) => getStore().set(k, val(k, k), 60, false)),
      );
      const got = await getStore().mget(keys);
      expect(got.map((g) => g === null)).toEqual(
        keys.map((_, i) => i % 3 !== 0),
      );
      keys.forEach((k, i) => {
        if (i % 3 === 0) same(got[i], val(k, k));
      });
    });

    it('delete removes a key and is idempotent', async () => {
      const key = freshKey();
      await getStore().set(key, val(key, 'v'), 60, false);
      await getStore().delete(key);
      expect(await getStore().get(key)).toBeNull();
      await expect(getStore().delete(key)).resolves.toBeUndefined();
    });

    it('declares push exactly when expected', () => {
      expect(Boolean(getStore().push)).toBe(caps.push);
    });

    it('ping resolves while the server is up', async () => {
      await expect(getStore().ping()).resolves.toBeUndefined();
    });

    it('survives concurrent guarded writers: SUCCESS stays once written', async () => {
      const key = freshKey();
      const s = getStore();
      const writes = Array.from({ length: 20 }, (_, i) =>
        s.set(
          key,
          i === 7 ? doc('SUCCESS', key, 'win') : doc('STARTED', key, i),
          60,
          true,
        ),
      );
      await Promise.all(writes);
      // Every later guarded write must keep it.
      await s.set(key, doc('FAILURE', key), 60, true);
      same(await s.get(key), doc('SUCCESS', key, 'win'));
    });

    const itPush = caps.push ? it : (): void => undefined; // polling stores: covered by the engine contract
    itPush('push: a change after add() is delivered', async () => {
      const s = getStore();
      if (!s.push) throw new Error('store declared push but has none');
      const key = freshKey();
      await s.push.add([key]);
      const got = firstValueFrom(
        s.push.events.pipe(
          filter(
            (e: StoreEvent) =>
              e.type === 'resync' || (e.type === 'change' && e.key === key),
          ),
          take(1),
          timeout(5000),
        ),
      );
      await s.set(key, doc('SUCCESS', key), 60, false);
      const ev = await got;
      expect(
        ev.type === 'resync' || (ev.type === 'change' && ev.key === key),
      ).toBe(true);
      await s.push.remove([key]);
    });
  });
}
