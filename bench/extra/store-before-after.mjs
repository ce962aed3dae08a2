// In-process before/after of the store hot paths (issue 14: "no path slower than before", in
// same-run ratios). Loads the library built at a base commit (default: the tree before the
// one-folder-per-backend restructure, 2e7100f) and the current build into ONE process, against
// one server per backend, and runs every path on both sides and on the raw client interleaved:
// R rounds (default 9), each round rotating which side goes first, every measurement in
// operations per CPU-second of this process (process.cpuUsage), so load from other processes
// and the order of the sides wash out. A path's "vs raw" is its rate over the raw client's
// rate measured right after it; the table gives the median over the rounds and the middle half.
//
// Usage: bash bench/extra/before-after.sh 2e7100f   (with no case: only builds the base into .cache/bench-base)
//        npm run build:lib && node --expose-gc bench/extra/store-before-after.mjs [redis] [memcached] [filesystem]
// Env: R (rounds), BASE_DIST (default .cache/bench-base/libs/result-backend/dist).
import {
  mkdtemp,
  mkdir,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import {
  freePort,
  opsPerSec as wallOps,
  startProcess,
} from '../lib/harness.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const BASE = resolve(
  ROOT,
  process.env.BASE_DIST ?? '.cache/bench-base/libs/result-backend/dist',
);
const CURRENT = join(ROOT, 'libs/result-backend/dist');
const R = Number(process.env.R ?? 9);
const KEYS = 1000;
const ID = (i) =>
  `b0c1a5e0-0000-4000-8000-${String(i % KEYS).padStart(12, '0')}`;
const KEY = (i) => `celery-task-meta-${ID(i)}`;
const DOCS = Array.from(
  { length: KEYS },
  (_, i) =>
    `{"status": "STARTED", "result": {"pid": 4242, "hostname": "w1@bench"}, "traceback": null, "children": [], "date_done": null, "task_id": "${ID(i)}"}`,
);
const SUCCESS = (id) =>
  `{"status": "SUCCESS", "result": 42, "traceback": null, "children": [], "date_done": "2026-11-21T10:00:00.000000", "task_id": "${id}"}`;
const ctx = {
  logger: { log() {}, error() {}, warn() {}, debug() {} },
  maxPayloadBytes: 512 * 1024 * 1024,
  pollIntervalMs: 500,
  outage: { down() {}, up() {} },
};
const load = (dist, path) => import(pathToFileURL(join(dist, path)).href);

/** Operations per CPU-second of this process for `n` calls of `fn`, `concurrency` in flight. */
async function cpuOps(n, concurrency, fn) {
  global.gc?.(); // no garbage of the previous measurement is collected on this one's clock
  const u0 = process.cpuUsage();
  await wallOps(n, concurrency, fn);
  const u = process.cpuUsage(u0);
  return n / ((u.user + u.system) / 1e6);
}

/** Runs `section(port)` against `command` started by the bench harness, stopped afterwards. */
async function withServer(command, args, section) {
  const port = await freePort();
  const server = await startProcess(command, args(port), port);
  try {
    await section(port);
  } finally {
    await server.stop();
  }
}

/**
 * Each path: [name, n, concurrency, (side) => op, rawOp]. Sides are { base, current }, each
 * with what the backend's paths need.
 */
async function measure(title, paths, sides) {
  for (const [, , c, mk, raw] of paths)
    for (const side of Object.values(sides)) {
      await cpuOps(500, c, mk(side));
      await cpuOps(500, c, raw);
    }
  const ratios = {};
  for (let r = 0; r < R; r++)
    for (const [name, n, c, mk, raw] of paths) {
      const order = r % 2 ? ['current', 'base'] : ['base', 'current'];
      for (const s of order) {
        const ours = await cpuOps(n, c, mk(sides[s]));
        const rawRate = await cpuOps(n, c, raw);
        (ratios[name] ??= { base: [], current: [] })[s].push(ours / rawRate);
      }
    }
  const q = (xs, p) =>
    [...xs].sort((a, b) => a - b)[
      Math.min(xs.length - 1, Math.floor(p * xs.length))
    ];
  const f = (xs) =>
    `${q(xs, 0.5).toFixed(2)}× (${q(xs, 0.25).toFixed(2)}–${q(xs, 0.75).toFixed(2)})`;
  console.log(`\n### ${title}\n`);
  console.log(
    '| path | before: vs raw | after: vs raw | after ÷ before (medians) |',
  );
  console.log('| --- | --- | --- | --- |');
  for (const [name, { base, current }] of Object.entries(ratios))
    console.log(
      `| ${name} | ${f(base)} | ${f(current)} | **${(q(current, 0.5) / q(base, 0.5)).toFixed(2)}** |`,
    );
}

async function redisPaths(port) {
  const url = `redis://127.0.0.1:${port}/0`;
  const cfg = { kind: 'redis', host: '127.0.0.1', port, db: 0, query: {} };
  const raw = new Redis({ port, host: '127.0.0.1' });
  const sides = {};
  for (const [s, dist] of [
    ['base', BASE],
    ['current', CURRENT],
  ]) {
    const { createRedisStore } = await load(
      dist,
      'stores/redis/redis.store.js',
    );
    const { createResultBackend } = await load(
      dist,
      'result-backend.factory.js',
    );
    sides[s] = {
      store: await createRedisStore(cfg, ctx),
      svc: await createResultBackend({ url }, { logger: ctx.logger }),
    };
  }
  const ids = Array.from({ length: KEYS }, (_, i) => `stored-${i}`);
  await Promise.all(
    ids.map((id) => raw.setex(`celery-task-meta-${id}`, 86400, SUCCESS(id))),
  );
  const four = (i) => [KEY(i), KEY(i + 1), KEY(i + 2), KEY(i + 3)];
  try {
    await measure(
      'Redis (redis-server on loopback; raw: ioredis)',
      [
        [
          'guarded set (EVALSHA), 64 in flight, vs raw MULTI SETEX+PUBLISH',
          10000,
          64,
          (s) => (i) => s.store.set(KEY(i), DOCS[i % KEYS], 86400, true),
          (i) =>
            raw
              .multi()
              .setex(KEY(i), 86400, DOCS[i % KEYS])
              .publish(KEY(i), DOCS[i % KEYS])
              .exec(),
        ],
        [
          'unguarded set, 64 in flight, vs raw MULTI',
          10000,
          64,
          (s) => (i) => s.store.set(KEY(i), DOCS[i % KEYS], 86400, false),
          (i) =>
            raw
              .multi()
              .setex(KEY(i), 86400, DOCS[i % KEYS])
              .publish(KEY(i), DOCS[i % KEYS])
              .exec(),
        ],
        [
          'get, 64 in flight, vs raw GET',
          10000,
          64,
          (s) => (i) => s.store.get(KEY(i)),
          (i) => raw.get(KEY(i)),
        ],
        [
          'mget of 4 keys, 64 in flight, vs raw MGET',
          10000,
          64,
          (s) => (i) => s.store.mget(four(i)),
          (i) => raw.mget(...four(i)),
        ],
        [
          'service waitFor of a stored result, 1 in flight, vs raw GET',
          2000,
          1,
          (s) => (i) => s.svc.waitFor(ids[i % KEYS]),
          (i) => raw.get(`celery-task-meta-${ids[i % KEYS]}`),
        ],
      ],
      sides,
    );
  } finally {
    for (const s of Object.values(sides))
      await Promise.all([
        s.store.close(),
        s.svc.close?.() ?? s.svc.onModuleDestroy?.(),
      ]);
    raw.disconnect();
  }
}

async function memcachedPaths(port) {
  const cfg = { kind: 'memcached', servers: [{ host: '127.0.0.1', port }] };
  const memjs = createRequire(import.meta.url)('memjs');
  const raw = memjs.Client.create(`127.0.0.1:${port}`, {
    logger: { log() {} },
    retries: 1,
  });
  const sides = {};
  for (const [s, dist] of [
    ['base', BASE],
    ['current', CURRENT],
  ]) {
    const { createMemcachedStore } = await load(
      dist,
      'stores/memcached/memcached.store.js',
    );
    // Each side writes its own keys: a write by the other side (or memjs) would turn this
    // side's cached CAS tokens stale and cost it extra round trips.
    const key = (i) => `${KEY(i)}-${s}`;
    sides[s] = {
      store: await createMemcachedStore(cfg, ctx),
      key,
      keys100: Array.from({ length: 100 }, (_, i) => key(i)),
    };
  }
  const keys100 = Array.from({ length: 100 }, (_, i) => KEY(i));
  try {
    await measure(
      'memcached (memcached on loopback; raw: memjs)',
      [
        [
          'guarded set, 16 in flight, vs memjs set',
          5000,
          16,
          (s) => (i) => s.store.set(s.key(i), DOCS[i % KEYS], 86400, true),
          (i) => raw.set(KEY(i), DOCS[i % KEYS], { expires: 86400 }),
        ],
        [
          'get, 16 in flight, vs memjs get',
          5000,
          16,
          (s) => (i) => s.store.get(s.key(i)),
          (i) => raw.get(KEY(i)),
        ],
        [
          'mget of 100 keys vs 100 memjs gets, 1 in flight (per call)',
          100,
          1,
          (s) => () => s.store.mget(s.keys100),
          () => Promise.all(keys100.map((k) => raw.get(k))),
        ],
      ],
      sides,
    );
  } finally {
    for (const s of Object.values(sides)) await s.store.close();
    raw.close();
  }
}

async function filesystemPaths() {
  const root = await mkdtemp(join(tmpdir(), 'fs-before-after-'));
  const sides = {};
  try {
    for (const [s, dist] of [
      ['base', BASE],
      ['current', CURRENT],
    ]) {
      const { createFilesystemStore } = await load(
        dist,
        'stores/filesystem/filesystem.store.js',
      );
      const dir = async (n) => {
        const d = join(root, `${s}-${n}`);
        await mkdir(d);
        return d;
      };
      sides[s] = {
        auto: await createFilesystemStore(
          { kind: 'filesystem', path: await dir('auto') },
          ctx,
        ),
        sync: await createFilesystemStore(
          { kind: 'filesystem', path: await dir('sync') },
          ctx,
          { ioMode: 'sync' },
        ),
      };
    }
    const rawDir = join(root, 'raw');
    await mkdir(rawDir);
    let seq = 0;
    const rawSet = async (i) => {
      const tmp = join(rawDir, `.tmp-${++seq}`);
      await writeFile(tmp, DOCS[i % KEYS]);
      await rename(tmp, join(rawDir, KEY(i)));
    };
    for (let i = 0; i < KEYS; i++) await rawSet(i);
    for (const s of Object.values(sides))
      for (let i = 0; i < KEYS; i++)
        (await s.auto.set(KEY(i), DOCS[i], 86400, false),
          await s.sync.set(KEY(i), DOCS[i], 86400, false));
    await measure(
      'filesystem (tmpfs/disk under os.tmpdir(); raw: node:fs/promises)',
      [
        [
          'guarded set (default I/O), 16 in flight, vs writeFile+rename',
          3000,
          16,
          (s) => (i) => s.auto.set(KEY(i), DOCS[i % KEYS], 86400, true),
          rawSet,
        ],
        [
          'get (default I/O), 16 in flight, vs readFile',
          5000,
          16,
          (s) => (i) => s.auto.get(KEY(i)),
          (i) => readFile(join(rawDir, KEY(i)), 'utf8'),
        ],
        [
          'get (sync I/O), 1 in flight, vs readFile',
          5000,
          1,
          (s) => (i) => s.sync.get(KEY(i)),
          (i) => readFile(join(rawDir, KEY(i)), 'utf8'),
        ],
      ],
      sides,
    );
  } finally {
    for (const s of Object.values(sides))
      await Promise.all([s.auto.close(), s.sync.close()]);
    await rm(root, { recursive: true, force: true });
  }
}

const wanted = process.argv.slice(2);
const all = {
  redis: () =>
    withServer(
      'redis-server',
      (port) => [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      redisPaths,
    ),
  memcached: () =>
    withServer(
      'memcached',
      (port) => [
        '-l',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        '0',
        ...(process.getuid?.() === 0 ? ['-u', 'root'] : []),
      ],
      memcachedPaths,
    ),
  filesystem: filesystemPaths,
};
console.log(
  `Before: ${BASE}\nAfter: ${CURRENT}\nRounds: ${R}; node ${process.version}; load ${(await readFile('/proc/loadavg', 'utf8')).split(' ')[0]}`,
);
for (const [k, fn] of Object.entries(all))
  if (wanted.length === 0 || wanted.includes(k)) await fn();
