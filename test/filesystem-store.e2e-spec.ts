/**
 * The filesystem store (`file:///abs/dir`) on a temp directory: raw store contract with
 * push, hostile keys, atomic rewrites, Celery-style cleanup, startup self-test, fs.watch
 * push and its polling fallback, the golden vectors, and live interop with Celery 5.2.6.
 */
import { EventEmitter } from 'node:events';
import type { FSWatcher } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { filter, firstValueFrom, take, timeout } from 'rxjs';
import {
  BackendUnavailableError,
  ImproperlyConfiguredError,
  InvalidTaskIdError,
} from '../libs/result-backend/src/errors/index.js';
import { FilesystemWatchPush } from '../libs/result-backend/src/stores/filesystem/filesystem-watch.push.js';
import {
  createFilesystemStore,
  FILESYSTEM_TEMP_PREFIX,
  FilesystemResultStore,
} from '../libs/result-backend/src/stores/filesystem/filesystem.store.js';
import type { StoreEvent } from '../libs/result-backend/src/stores/result-store.interface.js';
import type { StoreContext } from '../libs/result-backend/src/stores/store-context.interface.js';
import { describeWithCelery, runPython } from './support/python.js';
import { runStoreContract } from './support/store-contract.js';
import { celeryVectors, vectorFileBytes } from './support/celery-vectors.js';
import { closesAfterEach } from './support/cleanup.js';

const here = dirname(fileURLToPath(import.meta.url));
const silent = {
  log: () => undefined,
  error: () => undefined,
  warn: () => undefined,
};
const ctx: StoreContext = {
  logger: silent,
  pollIntervalMs: 50,
};
const open = async (
  path: string,
  c: StoreContext = ctx,
): Promise<FilesystemResultStore> =>
  (await createFilesystemStore(
    { kind: 'filesystem', path },
    c,
  )) as FilesystemResultStore;

/** Stores and watchers a test opened: closed after it, also when an expectation failed first. */
const own = closesAfterEach();

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'fs-store-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
let dirSeq = 0;
const freshDir = async (): Promise<string> => {
  const d = join(root, `d${++dirSeq}`);
  await mkdir(d);
  return d;
};

describe('filesystem store (file://)', () => {
  let store: FilesystemResultStore;
  let dir: string;
  beforeAll(async () => {
    dir = await freshDir();
    store = await open(dir);
  });
  afterAll(async () => {
    await store.close();
  });

  it('describes itself and stores one file per key holding the exact bytes, no newline', async () => {
    expect(store.kind).toBe('filesystem');
    expect(store.description).toBe(`file://${dir}`);
    expect(store.autoExpires).toBe(false);
    await store.set(
      'celery-task-meta-bytes',
      '{"status": "SUCCESS", "result": "\\u00e9"}',
      60,
      false,
    );
    expect(await readFile(join(dir, 'celery-task-meta-bytes'), 'utf8')).toBe(
      '{"status": "SUCCESS", "result": "\\u00e9"}',
    );
  });

  it('reads an empty file as null (PENDING) and leaves no probe or temp files behind', async () => {
    await writeFile(join(dir, 'celery-task-meta-empty'), '');
    expect(await store.get('celery-task-meta-empty')).toBeNull();
    const names = await readdir(dir);
    expect(names.filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it.each([
    ['empty', ''],
    ['dot', '.'],
    ['dot-dot', '..'],
    ['parent traversal', '../escape'],
    ['slash', 'celery-task-meta-a/b'],
    ['absolute', '/etc/passwd'],
    ['backslash', 'celery-task-meta-a\\b'],
    ['NUL', 'celery-task-meta-a\u0000b'],
    ['newline', 'celery-task-meta-a\nb'],
    ['over 255 bytes', `celery-task-meta-${'é'.repeat(120)}`],
    ['temp file name', `${FILESYSTEM_TEMP_PREFIX}x`],
  ])(
    'refuses a hostile key (%s) before touching the disk',
    async (_label, key) => {
      const before = await readdir(root, { recursive: true });
      await expect(
        store.set(key, '{"status": "SUCCESS"}', null, false),
      ).rejects.toBeInstanceOf(InvalidTaskIdError);
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidTaskIdError);
      await expect(
        store.mget(['celery-task-meta-ok', key]),
      ).rejects.toBeInstanceOf(InvalidTaskIdError);
      await expect(store.delete(key)).rejects.toBeInstanceOf(
        InvalidTaskIdError,
      );
      expect(await readdir(root, { recursive: true })).toEqual(before);
    },
  );

  it('accepts a 255-byte key', async () => {
    const key = `celery-task-meta-${'x'.repeat(255 - 17)}`;
    await store.set(key, 'v', null, false);
    expect(await store.get(key)).toBe('v');
  });

  it('never lets a concurrent reader see an empty or torn file while a big value is rewritten', async () => {
    const key = 'celery-task-meta-torn';
    const a = `{"status": "STARTED", "result": "${'a'.repeat(2 * 1024 * 1024)}"}`;
    const b = `{"status": "STARTED", "result": "${'b'.repeat(2 * 1024 * 1024 + 7)}"}`;
    await store.set(key, a, null, false);
    let writing = true;
    let reads = 0;
    const reader = (async () => {
      while (writing) {
        const got = await store.get(key);
        reads++;
        if (got !== a && got !== b)
          throw new Error(`torn read of ${got?.length ?? 'null'} chars`);
      }
    })();
    try {
      for (let i = 0; i < 40; i++)
        await store.set(key, i % 2 ? a : b, null, false);
    } finally {
      writing = false; // a failed write must not leave the reader looping forever
    }
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect(
      (await readdir(dir)).filter((n) => n.startsWith(FILESYSTEM_TEMP_PREFIX)),
    ).toEqual([]);
  });

  it('removes its temp file when the write fails', async () => {
    await mkdir(join(dir, 'celery-task-meta-is-a-dir'));
    await expect(
      store.set('celery-task-meta-is-a-dir', 'v', null, false),
    ).rejects.toBeInstanceOf(BackendUnavailableError);
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('keeps a SUCCESS written by Celery (in place) under guarded writes', async () => {
    const key = 'celery-task-meta-celery-success';
    const success =
      '{"status": "SUCCESS", "result": 1, "traceback": null, "children": [], "date_done": null, "task_id": "x"}';
    await writeFile(join(dir, key), success);
    expect(await store.set(key, '{"status": "FAILURE"}', null, true)).toBe(
      'kept-success',
    );
    expect(await readFile(join(dir, key), 'utf8')).toBe(success);
  });
});

describe("filesystem store, ioMode 'sync'", () => {
  let store: FilesystemResultStore;
  beforeAll(async () => {
    store = (await createFilesystemStore(
      { kind: 'filesystem', path: await freshDir() },
      ctx,
      {
        ioMode: 'sync',
      },
    )) as FilesystemResultStore;
  });
  afterAll(async () => {
    await store.close();
  });

  runStoreContract(() => store, { push: true });

  it('reads big files whole and still refuses hostile keys', async () => {
    const big = 'x'.repeat(300_000);
    await store.set('celery-task-meta-big', big, null, false);
    expect(await store.get('celery-task-meta-big')).toBe(big);
    await expect(store.get('../x')).rejects.toBeInstanceOf(InvalidTaskIdError);
    await mkdir(join(store.dir, 'celery-task-meta-dir'));
    await expect(
      store.set('celery-task-meta-dir', 'v', null, false),
    ).rejects.toBeInstanceOf(BackendUnavailableError);
    expect((await readdir(store.dir)).filter((n) => n.startsWith('.'))).toEqual(
      [],
    );
  });
});

describe('filesystem store cleanup()', () => {
  it('deletes only task/group/chord files older than expires, like Celery', async () => {
    const dir = await freshDir();
    const store = own(await open(dir));
    const names = {
      oldTask: 'celery-task-meta-old',
      oldGroup: 'celery-taskset-meta-old',
      oldChord: 'chord-unlock-old',
      newTask: 'celery-task-meta-new',
      oldOther: 'other-file',
      oldTemp: `${FILESYSTEM_TEMP_PREFIX}123-abc-1`,
      oldProbe: '.fs-backend-123',
    };
    for (const n of Object.values(names)) await writeFile(join(dir, n), 'x');
    const twoHoursAgo = (Date.now() - 2 * 3600 * 1000) / 1000;
    for (const [k, n] of Object.entries(names)) {
      if (k.startsWith('old'))
        await utimes(join(dir, n), twoHoursAgo, twoHoursAgo);
    }
    expect(await store.cleanup(0)).toBe(0); // falsy expires: Celery does nothing
    expect(await store.cleanup(3 * 3600)).toBe(0);
    expect(await store.cleanup(3600)).toBe(3);
    expect((await readdir(dir)).sort()).toEqual(
      [names.newTask, names.oldOther, names.oldTemp, names.oldProbe].sort(),
    );
    await store.close();
  });
});

describe('filesystem store startup', () => {
  it('refuses a missing directory with ImproperlyConfiguredError naming the setting', async () => {
    const err: unknown = await open(join(root, 'missing')).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ImproperlyConfiguredError);
    expect((err as ImproperlyConfiguredError).setting).toBe(
      'CELERY_RESULT_BACKEND',
    );
    expect((err as Error).message).toContain('file:///var/lib/celery/results');
  });

  it('refuses a path that is a file, an empty path, and an unwritable directory', async () => {
    await writeFile(join(root, 'a-file'), 'x');
    await expect(open(join(root, 'a-file'))).rejects.toBeInstanceOf(
      ImproperlyConfiguredError,
    );
    await expect(open('')).rejects.toBeInstanceOf(ImproperlyConfiguredError);
    // /proc refuses new files even for root.
    await expect(open('/proc')).rejects.toThrow(/does not work/);
  });

  it('resolves a relative path against the cwd, as Celery does, and cleans up its probe', async () => {
    const dir = await freshDir();
    const store = own(await open(relative(process.cwd(), dir)));
    expect(store.dir).toBe(resolve(dir));
    expect(await readdir(dir)).toEqual([]);
    await store.close();
  });

  it('close() is idempotent, closes the watcher and refuses later calls', async () => {
    const store = own(await open(await freshDir()));
    await store.push.add(['celery-task-meta-x']);
    expect(store.push.active).toBe('watch');
    await store.close();
    await store.close();
    expect(store.push.active).toBe('none');
    await expect(store.get('celery-task-meta-x')).rejects.toBeInstanceOf(
      BackendUnavailableError,
    );
  });
});

describe('filesystem store push', () => {
  it('emits change (no value) for added keys only, from any writer, and closes the watcher when none remain', async () => {
    const dir = await freshDir();
    const store = own(await open(dir));
    expect(store.push.active).toBe('none'); // lazy
    await store.push.add(['celery-task-meta-a', 'celery-task-meta-b']);
    expect(store.push.active).toBe('watch');
    const first = firstValueFrom(
      store.push.events.pipe(take(1), timeout(5000)),
    );
    await writeFile(join(dir, 'celery-task-meta-unwatched'), 'x');
    await writeFile(
      join(dir, 'celery-task-meta-b'),
      'in place, as Celery writes',
    );
    expect(await first).toEqual({ type: 'change', key: 'celery-task-meta-b' });

    const deleted = firstValueFrom(
      store.push.events.pipe(
        filter((e) => e.type === 'change' && e.key === 'celery-task-meta-a'),
        take(1),
        timeout(5000),
      ),
    );
    await store.set('celery-task-meta-a', 'v', null, false);
    await store.delete('celery-task-meta-a');
    expect(await deleted).toEqual({
      type: 'change',
      key: 'celery-task-meta-a',
    });

    await store.push.remove(['celery-task-meta-a']);
    expect(store.push.active).toBe('watch');
    await store.push.remove(['celery-task-meta-b']);
    expect(store.push.active).toBe('none');
    await store.close();
  });

  it('reports degraded (never polls itself) when fs.watch is unavailable', async () => {
    const push = own(
      new FilesystemWatchPush({
        dir: root,
        mode: 'auto',
        logger: silent,
        watchFn: () => {
          throw Object.assign(new Error('ENOSYS'), { code: 'ENOSYS' });
        },
      }),
      (p) => p.close(),
    );
    const seen: StoreEvent[] = [];
    push.events.subscribe((e) => seen.push(e));
    await push.add(['k']);
    await push.add(['k2']);
    expect(push.active).toBe('degraded');
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([{ type: 'degraded' }]);
    await push.remove(['k', 'k2']);
    expect(push.active).toBe('none');
    push.close();
  });

  it('reports degraded when the watcher errors, recovered when a later watcher works; resync when no file name is given', async () => {
    let closed = 0;
    let fail = false;
    const fake = Object.assign(new EventEmitter(), {
      close: () => void closed++,
    });
    let listener: ((event: string, name: string | null) => void) | undefined;
    const push = own(
      new FilesystemWatchPush({
        dir: root,
        mode: 'auto',
        logger: silent,
        watchFn: ((
          _d: string,
          _o: unknown,
          l: (event: string, name: string | null) => void,
        ) => {
          if (fail) throw new Error('EMFILE');
          listener = l;
          return fake as unknown as FSWatcher;
        }) as never,
      }),
      (p) => p.close(),
    );
    const seen: StoreEvent[] = [];
    push.events.subscribe((e) => seen.push(e));
    await push.add(['k']);
    listener?.('rename', 'k');
    listener?.('rename', 'other');
    listener?.('change', null);
    fake.emit('error', new Error('EMFILE'));
    expect(closed).toBe(1);
    expect(push.active).toBe('degraded');
    await push.remove(['k']);
    await push.add(['k']); // a fresh start whose fs.watch works again
    expect(push.active).toBe('watch');
    expect(seen).toEqual([
      { type: 'change', key: 'k' },
      { type: 'resync' },
      { type: 'degraded' },
      { type: 'recovered' },
    ]);
    fail = true;
    push.close();
    expect(push.active).toBe('none');
  });

  it('reports degraded in poll mode without ever opening a watcher', async () => {
    let watchCalls = 0;
    const watchFn = (): never => {
      watchCalls++;
      throw new Error('must not be called');
    };
    const push = own(
      new FilesystemWatchPush({
        dir: root,
        mode: 'poll',
        logger: silent,
        watchFn: watchFn,
      }),
      (p) => p.close(),
    );
    const got = firstValueFrom(push.events.pipe(take(1), timeout(5000)));
    await push.add(['k']);
    expect(await got).toEqual({ type: 'degraded' });
    expect(watchCalls).toBe(0);
    push.close();
  });
});

interface StoredItem {
  readonly key: string;
  readonly file: string;
}
interface Expected {
  readonly kind: 'task' | 'group';
  readonly id: string;
  readonly state?: string;
  readonly result?: unknown;
  readonly traceback?: string | null;
  readonly found?: boolean;
  readonly results?: readonly { task: string }[];
}
interface Vector {
  readonly vector: string;
  readonly backend: string;
  readonly stored: readonly StoredItem[];
  readonly expected: readonly Expected[];
}
const loadVectors = (): Promise<Vector[]> =>
  Promise.resolve(
    celeryVectors<Vector>().vectors.filter((v) => v.backend === 'filesystem'),
  );

/** Writes every stored item of `v` through a fresh store in its own directory. */
async function writeVector(v: Vector): Promise<string> {
  const dir = await freshDir();
  const store = own(await open(dir));
  for (const s of v.stored) {
    const bytes = vectorFileBytes(s.file);
    expect(await store.set(s.key, bytes.toString('utf8'), 86400, false)).toBe(
      'written',
    );
    expect((await readFile(join(dir, s.key))).equals(bytes)).toBe(true);
    expect(await store.get(s.key)).toBe(bytes.toString('utf8'));
  }
  await store.close();
  return dir;
}

describe('filesystem store golden vectors', () => {
  it('writes every filesystem vector byte-identically and reads it back', async () => {
    const vectors = await loadVectors();
    expect(vectors.length).toBeGreaterThan(100);
    let items = 0;
    for (const v of vectors) {
      await writeVector(v);
      items += v.stored.length;
    }
    expect(items).toBeGreaterThan(140);
  });
});

/** The vectors' JSON form, minus what depends on importing the capture's own task module. */
function comparable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(comparable);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if ('__exception__' in o) {
    const e = o.__exception__ as Record<string, unknown>;
    const known =
      e.module !== 'vectortasks' && e.module !== 'celery.exceptions';
    return {
      type: e.type,
      args: comparable(e.args),
      str: e.str,
      ...(known ? { module: e.module } : {}),
    };
  }
  if ('__large_str__' in o) {
    const l = o.__large_str__ as Record<string, unknown>;
    return { length: l.length, sha256: l.sha256 };
  }
  return Object.fromEntries(
    Object.entries(o).map(([k, x]) => [k, comparable(x)]),
  );
}

describeWithCelery('filesystem store interop with Celery', () => {
  it('reads the exact bytes Celery writes (and sees its in-place writes through fs.watch)', async () => {
    const dir = await freshDir();
    const store = own(await open(dir));
    // Celery writes in place: fs.watch still reports those.
    const run = await runPython(
      [join(here, 'python', 'fs_celery_write.py'), dir],
      { timeoutMs: 30_000 },
    );
    expect({
      code: run.code,
      stderr: run.code === 0 ? '' : run.stderr,
    }).toEqual({ code: 0, stderr: '' });
    const written = JSON.parse(run.stdout) as {
      key: string;
      kind: string;
      state: string | null;
      raw: string;
    }[];
    expect(written.map((w) => w.state)).toEqual([
      ...Array<string>(6).fill('SUCCESS'),
      'FAILURE',
      'RETRY',
      'REVOKED',
      'STARTED',
      'PROGRESS',
      null,
    ]);
    expect(await store.mget(written.map((w) => w.key))).toEqual(
      written.map((w) => w.raw),
    );
    for (const w of written) {
      if (w.state)
        expect(w.raw.startsWith(`{"status": "${w.state}", `)).toBe(true);
      else expect(w.raw.startsWith('{"result": [[')).toBe(true);
    }
    // Celery's SUCCESS is final for our guarded writes too.
    expect(
      await store.set(written[0].key, '{"status": "FAILURE"}', null, true),
    ).toBe('kept-success');
    expect(await store.get(written[0].key)).toBe(written[0].raw);
    await store.close();
  });

  it('delivers a change event when a Celery process writes a watched key', async () => {
    const dir = await freshDir();
    const store = own(await open(dir));
    const id = 'c0ffee00-0000-4000-8000-000000000001';
    await store.push.add([`celery-task-meta-${id}`]);
    // A platform that reports no file name sends resync instead: skip those.
    const got = firstValueFrom(
      store.push.events.pipe(
        filter((e) => e.type !== 'resync'),
        take(1),
        timeout(20_000),
      ),
    );
    const run = await runPython(
      [
        '-c',
        `from celery import Celery; Celery(backend='file://${dir}').backend.store_result('${id}', 7, 'SUCCESS')`,
      ],
      { timeoutMs: 30_000 },
    );
    expect({
      code: run.code,
      stderr: run.code === 0 ? '' : run.stderr,
    }).toEqual({ code: 0, stderr: '' });
    expect(await got).toEqual({
      type: 'change',
      key: `celery-task-meta-${id}`,
    });
    expect(await store.get(`celery-task-meta-${id}`)).toMatch(
      /^\{"status": "SUCCESS", "result": 7, /,
    );
    await store.close();
  });

  it('writes the vectors so that Celery reads state, result and traceback as recorded', async () => {
    const vectors = (await loadVectors()).filter((v) => v.stored.length > 0);
    const jobs = [];
    for (const v of vectors) {
      jobs.push({
        vector: v,
        dir: await writeVector(v),
        tasks: v.expected.filter((e) => e.kind === 'task').map((e) => e.id),
        groups: v.expected.filter((e) => e.kind === 'group').map((e) => e.id),
      });
    }
    const run = await runPython([join(here, 'python', 'fs_celery_read.py')], {
      input: JSON.stringify(
        jobs.map(({ dir, tasks, groups }) => ({ dir, tasks, groups })),
      ),
      timeoutMs: 50_000,
    });
    expect({
      code: run.code,
      stderr: run.code === 0 ? '' : run.stderr,
    }).toEqual({ code: 0, stderr: '' });
    const read = JSON.parse(run.stdout) as {
      tasks: {
        id: string;
        state: string;
        result: unknown;
        traceback: string | null;
        error?: string;
      }[];
      groups: { id: string; found: boolean; results?: string[] }[];
    }[];
    let checked = 0;
    jobs.forEach((job, i) => {
      for (const exp of job.vector.expected) {
        const label = `${job.vector.vector} ${exp.kind} ${exp.id}`;
        if (exp.kind === 'task') {
          const got = read[i].tasks.find((t) => t.id === exp.id);
          expect({
            label,
            error: got?.error,
            state: got?.state,
            traceback: got?.traceback,
          }).toEqual({
            label,
            error: undefined,
            state: exp.state,
            traceback: exp.traceback,
          });
          expect({ label, result: comparable(got?.result) }).toEqual({
            label,
            result: comparable(exp.result),
          });
        } else {
          const got = read[i].groups.find((g) => g.id === exp.id);
          expect({ label, found: got?.found, results: got?.results }).toEqual({
            label,
            found: exp.found,
            results: exp.found ? exp.results?.map((r) => r.task) : undefined,
          });
        }
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(120);
  });
});
