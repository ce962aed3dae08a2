/**
 * Live interop with a real `celery worker` (Celery 5.2.6, 5.5.2, 5.6.3) on Redis, through the Nest service:
 * - the worker runs tasks (success, custom failure, retry, PROGRESS via update_state, revoked)
 *   and a Nest app (ResultBackendModule.forRoot) watches them with watch()/waitFor();
 * - the service stores results and Python's AsyncResult.get() receives them through PUBLISH
 *   only (Celery's initial GET is switched off in the reader script).
 * The broker is a second redis-server, so its traffic never mixes with the results.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Test, type TestingModule } from '@nestjs/testing';
import { lastValueFrom, map, toArray } from 'rxjs';
import {
  ResultBackendModule,
  ResultBackendService,
  TaskFailedError,
  TaskRevokedError,
} from '../libs/result-backend/src/index.js';
import {
  CELERY_VERSION,
  describeWithCelery,
  PYTHON,
  runPython,
} from './support/python.js';
import {
  copyTypedResults,
  expectSameTypedReads,
  typedCopyScript,
  type TypedRead,
} from './support/typed-copy.js';
import { closesAfterEach } from './support/cleanup.js';
import { startAll } from './support/server-process.js';
import { describeWithServer } from './support/skip-gate.js';
import {
  eventually,
  startRedis,
  type TestRedis,
} from './support/redis-server.js';

const PY_DIR = join(dirname(fileURLToPath(import.meta.url)), 'python');
const CLIENT = join(PY_DIR, 'redis_celery_client.py');
const TYPED = join(PY_DIR, 'typed_copy.py');

/** A Python reader still running after its test (it failed early): killed, not left behind. */
const killChild = (c: ChildProcess): void => {
  if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
};

interface PyRead {
  id: string;
  state?: string;
  result?: unknown;
  traceback?: string | null;
  error?: string;
}

describeWithCelery('Redis ↔ live celery worker, through the service', () => {
  describeWithServer(['redis-server'], 'redis-server', () => {
    let results: TestRedis;
    let broker: TestRedis;
    let worker: ChildProcess | undefined;
    let workerLog = '';
    let app: TestingModule;
    let svc: ResultBackendService;
    let env: NodeJS.ProcessEnv;
    const own = closesAfterEach();

    const py = async (
      cmd: string,
      input: unknown,
      timeoutMs = 40000,
    ): Promise<string> => {
      const run = await runPython([CLIENT, cmd], {
        env,
        input: JSON.stringify(input),
        timeoutMs,
      });
      if (run.code !== 0)
        throw new Error(
          `${cmd} failed (${run.code}):\n${run.stderr}\nworker:\n${workerLog}`,
        );
      return run.stdout;
    };

    beforeAll(async () => {
      [results, broker] = await startAll([startRedis(), startRedis()], (r) =>
        r.stop(),
      );
      env = {
        PYTHONPATH: PY_DIR,
        REDIS_BACKEND_URL: results.url,
        REDIS_BROKER_URL: broker.url.replace(/\/0$/, '/1'),
      };
      worker = spawn(
        PYTHON,
        [
          ...[
            '-m',
            'celery',
            '-A',
            'redis_tasks',
            'worker',
            '-P',
            'solo',
            '-c',
            '1',
            '-n',
            'w1@redis-interop',
          ],
          ...[
            '--without-heartbeat',
            '--without-gossip',
            '--without-mingle',
            '-Q',
            'celery',
            '-l',
            'info',
          ],
        ],
        {
          env: { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const keep = (d: Buffer): void => {
        workerLog = (workerLog + d.toString()).slice(-6000);
      };
      worker.stdout?.on('data', keep);
      worker.stderr?.on('data', keep);
      app = await Test.createTestingModule({
        imports: [ResultBackendModule.forRoot({ url: results.url })],
      }).compile();
      svc = app.get(ResultBackendService);
      expect((await py('ping', null)).trim()).toBe('PONG');
    }, 60000);

    afterAll(async () => {
      if (worker && worker.exitCode === null && worker.signalCode === null) {
        const w = worker;
        const exited = new Promise((r) => w.once('exit', r));
        w.kill('SIGTERM');
        const t = setTimeout(() => w.kill('SIGKILL'), 8000);
        await exited;
        clearTimeout(t);
      }
      await app?.close();
      await Promise.all([results?.stop(), broker?.stop()]);
    }, 30000);

    it('watches worker tasks: STARTED → PROGRESS → SUCCESS, failures, retries and revokes', async () => {
      const ids = {
        ok: randomUUID(),
        fail: randomUUID(),
        retry: randomUUID(),
        progress: randomUUID(),
        revoked: randomUUID(),
      };
      // Watch before anything is sent, as an app would right after apply_async.
      const progressStates = lastValueFrom(
        svc.watch(ids.progress, { timeout: 30000 }).pipe(
          map((m) => ({ status: m.status, result: m.result })),
          toArray(),
        ),
      );
      const retryStates = lastValueFrom(
        svc.watch(ids.retry, { timeout: 30000 }).pipe(
          map((m) => m.status),
          toArray(),
        ),
      );
      const ok = svc.waitFor<number>(ids.ok, { timeout: 30000 });
      const fail = svc.waitFor(ids.fail, { timeout: 30000 }).then(
        () => null,
        (e: unknown) => e,
      );
      const retried = svc.waitFor<string>(ids.retry, { timeout: 30000 });
      const revoked = svc.waitFor(ids.revoked, { timeout: 30000 }).then(
        () => null,
        (e: unknown) => e,
      );
      // waitFor reads once first, then watches: wait until all five keys are watched.
      await eventually(() => svc.watching >= 5, 30_000);
      expect(svc.watching).toBe(5);

      await py('send', [
        {
          id: ids.revoked,
          name: 'redis_tasks.add',
          args: [1, 1],
          revoke: true,
        },
        { id: ids.ok, name: 'redis_tasks.add', args: [2, 3] },
        {
          id: ids.fail,
          name: 'redis_tasks.fail_custom',
          args: ['custom message', 42],
        },
        {
          id: ids.retry,
          name: 'redis_tasks.retry_once',
          args: ['second time lucky'],
        },
        { id: ids.progress, name: 'redis_tasks.progress', args: [3, 0.15] },
      ]);

      expect(await ok).toBe(5);
      const failure = await fail;
      expect(failure).toBeInstanceOf(TaskFailedError);
      expect(failure).toMatchObject({
        taskId: ids.fail,
        state: 'FAILURE',
        excType: 'CustomError',
        excModule: 'redis_tasks',
        excArgs: ['custom message', 42],
      });
      expect((failure as TaskFailedError).traceback).toMatch(
        /Traceback \(most recent call last\)[\s\S]*CustomError: \('custom message', 42\)/,
      );
      expect(await retried).toBe('second time lucky');
      const retryList = await retryStates;
      expect(retryList.at(-1)).toBe('SUCCESS');
      expect(retryList).toContain('RETRY');
      const revokedErr = await revoked;
      expect(revokedErr).toBeInstanceOf(TaskRevokedError);
      expect(revokedErr).toMatchObject({
        excType: 'TaskRevokedError',
        excModule: 'celery.exceptions',
      });

      const progress = await progressStates;
      const statuses = progress
        .map((p) => p.status)
        .filter((s, i, a) => s !== a[i - 1]);
      expect(statuses.filter((s) => s !== 'PENDING')).toEqual([
        'STARTED',
        'PROGRESS',
        'SUCCESS',
      ]);
      expect(
        progress.filter((p) => p.status === 'PROGRESS').map((p) => p.result),
      ).toEqual(expect.arrayContaining([{ current: 3, total: 3 }]));
      expect(progress.at(-1)?.result).toEqual({ done: 3 });
      await eventually(() => svc.watching === 0); // released once every watch settled
    }, 60000);

    it('copies typed results that AsyncResult.get(), blocked on Redis, returns as the same Python values', async () => {
      let reader: ChildProcess | undefined;
      let out = '';
      let exited: Promise<number | null> = Promise.resolve(null);
      const ids = await copyTypedResults(svc, results.url, env, async (ids) => {
        const r = own(
          spawn(PYTHON, [TYPED, 'get', results.url], {
            env: { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: '1' },
            stdio: ['pipe', 'pipe', 'pipe'],
          }),
          killChild,
        );
        reader = r;
        exited = new Promise((done) => r.once('exit', done));
        r.stdin.end(JSON.stringify([ids.copyValues, ids.copyFailure]));
        await new Promise<void>((resolve, reject) => {
          r.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('SUBSCRIBED\n')) resolve();
          });
          r.once('exit', () => reject(new Error('reader exited early')));
        });
      });
      expect(await exited).toBe(0);
      expect(reader).toBeDefined();
      const got = JSON.parse(
        out.trim().split('\n').pop() ?? '[]',
      ) as TypedRead[];
      const originals = JSON.parse(
        await typedCopyScript(
          'read',
          results.url,
          [ids.values, ids.failure],
          env,
        ),
      ) as TypedRead[];
      expectSameTypedReads(
        [...originals, ...got],
        ids,
        CELERY_VERSION !== '5.2.6',
      );
    }, 60000);

    it("stores results that Celery's AsyncResult.get() receives through PUBLISH", async () => {
      const ids = {
        done: `nest-done-${randomUUID()}`,
        custom: `nest-custom-${randomUUID()}`,
        valueError: `nest-value-${randomUUID()}`,
        revoked: `nest-revoked-${randomUUID()}`,
        plain: `nest-plain-${randomUUID()}`,
        object: `nest-object-${randomUUID()}`,
        none: `nest-none-${randomUUID()}`,
        copy: `nest-copy-${randomUUID()}`,
      };
      const reader = own(
        spawn(PYTHON, [CLIENT, 'read'], {
          env: { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: '1' },
          stdio: ['pipe', 'pipe', 'pipe'],
        }),
        killChild,
      );
      let out = '';
      let err = '';
      const subscribed = new Promise<void>((resolve, reject) => {
        reader.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('SUBSCRIBED\n')) resolve();
        });
        reader.once('exit', () =>
          reject(new Error(`reader exited early: ${err}`)),
        );
      });
      reader.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((r) => reader.once('exit', r));
      reader.stdin.end(JSON.stringify(Object.values(ids)));
      await subscribed;

      await svc.markAsDone(ids.done, { answer: 42, list: [1, 2.5, 'é'] });
      await svc.markAsFailure(
        ids.custom,
        new TaskFailedError({
          taskId: ids.custom,
          state: 'FAILURE',
          excType: 'CustomError',
          excModule: 'redis_tasks',
          excArgs: ['from nest', 7],
          traceback:
            'Traceback (most recent call last):\nredis_tasks.CustomError: from nest\n',
        }),
      );
      await svc.markAsFailure(
        ids.valueError,
        new TaskFailedError({
          taskId: ids.valueError,
          state: 'FAILURE',
          excType: 'ValueError',
          excModule: 'builtins',
          excArgs: ['bad value'],
          traceback: null,
        }),
      );
      await svc.markAsRevoked(ids.revoked, 'terminated');
      // Non-error failure values (issue 13): stored as Exception(value).
      await svc.markAsFailure(ids.plain, 'plain string thrown');
      await svc.markAsFailure(ids.object, { code: 5, why: 'x' });
      await svc.markAsFailure(ids.none, null);
      // A copied remote failure keeps its own traceback: null stays null.
      await svc.markAsFailure(
        ids.copy,
        new TaskFailedError({
          taskId: 'orig-null-tb',
          state: 'FAILURE',
          excType: 'KeyError',
          excModule: 'builtins',
          excArgs: ['k'],
          traceback: null,
        }),
      );

      expect(await exited).toBe(0);
      const read = JSON.parse(
        out.split('\n').filter(Boolean).at(-1) ?? '[]',
      ) as PyRead[];
      const get = (id: string): PyRead | undefined =>
        read.find((r) => r.id === id);
      expect(read.filter((r) => r.error)).toEqual([]);
      expect(get(ids.done)).toMatchObject({
        state: 'SUCCESS',
        result: { answer: 42, list: [1, 2.5, 'é'] },
      });
      expect(get(ids.custom)).toMatchObject({
        state: 'FAILURE',
        result: {
          __exception__: {
            type: 'CustomError',
            module: 'redis_tasks',
            args: ['from nest', 7],
          },
        },
      });
      expect(get(ids.custom)?.traceback).toContain('from nest');
      expect(get(ids.valueError)).toMatchObject({
        state: 'FAILURE',
        result: {
          __exception__: {
            type: 'ValueError',
            module: 'builtins',
            args: ['bad value'],
          },
        },
      });
      const exc = (type: string, args: unknown[], str: string) => ({
        state: 'FAILURE',
        result: { __exception__: { type, module: 'builtins', args, str } },
        traceback: null,
      });
      expect(get(ids.plain)).toEqual({
        id: ids.plain,
        ...exc('Exception', ['plain string thrown'], 'plain string thrown'),
      });
      expect(get(ids.object)).toEqual({
        id: ids.object,
        ...exc('Exception', [{ code: 5, why: 'x' }], "{'code': 5, 'why': 'x'}"),
      });
      expect(get(ids.none)).toEqual({
        id: ids.none,
        ...exc('Exception', [null], 'None'),
      });
      expect(get(ids.copy)).toEqual({
        id: ids.copy,
        ...exc('KeyError', ['k'], "'k'"),
      });
      expect(get(ids.revoked)).toMatchObject({
        state: 'REVOKED',
        result: {
          __exception__: {
            type: 'TaskRevokedError',
            module: 'celery.exceptions',
            args: ['terminated'],
          },
        },
      });
    }, 60000);
  });
});
