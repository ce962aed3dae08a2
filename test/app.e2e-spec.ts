/**
 * The demo app over real HTTP (supertest against app.listen(0)), on a filesystem store in a
 * temp dir: every endpoint, the status code mapping, and bad input that gets a 400 and
 * writes nothing.
 */
import type { INestApplication } from '@nestjs/common';
import { jest } from '@jest/globals';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ResultBackendService } from '../libs/result-backend/src/index.js';
import { DemoTaskRunner } from '../src/demo/demo-task.runner.js';
import { startDemoApp } from './support/demo-app.js';

// real servers and timers: more than jest's default 5 s per test (projects ignore testTimeout)
jest.setTimeout(30_000);

describe('demo app over HTTP (filesystem store)', () => {
  const root = mkdtempSync(join(tmpdir(), 'rb-app-'));
  const dir = join(root, 'results');
  let app: INestApplication;
  let results: ResultBackendService;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startDemoApp({ RESULTS_DIR: dir, DEMO_STEP_MS: '50' });
    results = app.get(ResultBackendService);
    http = request(await app.getUrl());
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const files = (): string[] => readdirSync(dir).sort();

  it('creates the embedded store directory on start', () => {
    expect(results.kind).toBe('filesystem');
    expect(results.description).toBe(`file://${dir}`);
    expect(existsSync(dir)).toBe(true);
  });

  it('no internals (raw, keys, dateDoneRaw, extra) reach any response', async () => {
    await results.markAsDone('t-leak', 1, { request: { name: 'app.add' } });
    await results.markAsFailure('t-leak-f', new Error('boom'));
    await results.saveGroup('g-leak', ['t-leak', 't-leak-f']);
    const bodies = await Promise.all(
      [
        '/tasks/t-leak',
        '/tasks/t-leak-f',
        '/tasks/t-leak/result?timeout=0',
        '/tasks/t-leak-f/result?timeout=0',
        '/tasks/t-leak/events',
        '/groups/g-leak',
      ].map(async (path) => (await http.get(path)).text),
    );
    expect(bodies.join('\n')).toContain('"t-leak-f"');
    for (const internal of ['raw', 'keys', 'dateDoneRaw', 'extra'])
      expect(bodies.join('\n')).not.toContain(`"${internal}"`);
  });

  describe('the results page', () => {
    it('GET / serves the page and its script and style', async () => {
      const page = await http.get('/').expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('<h1>Celery results</h1>');
      for (const [path, type] of [
        ['/page/demo.js', /^text\/javascript/],
        ['/page/render.js', /^text\/javascript/],
        ['/page/demo.css', /^text\/css/],
      ] as const) {
        const res = await http.get(path).expect(200);
        expect(res.headers['content-type']).toMatch(type);
      }
    });

    it('other unknown paths stay a JSON 404', async () => {
      const res = await http.get('/no-such-page').expect(404);
      expect(res.body).toMatchObject({
        statusCode: 404,
        message: 'Cannot GET /no-such-page',
      });
    });

    it('serves only the page files: 404 for any other name', async () => {
      for (const name of ['index.html', 'package.json', '..%2Fpackage.json']) {
        const res = await http.get(`/page/${name}`).expect(404);
        expect(res.body).toMatchObject({ statusCode: 404 });
        expect(res.text).not.toContain('"dependencies"');
      }
    });
  });

  describe('GET /tasks/:id', () => {
    it('an unknown task is PENDING', async () => {
      const res = await http.get('/tasks/never-seen').expect(200);
      expect(res.body).toEqual({
        taskId: 'never-seen',
        status: 'PENDING',
        result: null,
        traceback: null,
        children: null,
        dateDone: null,
      });
    });

    it('a stored SUCCESS with its date, children and extended fields', async () => {
      await results.markAsDone(
        't-ok',
        { answer: 42 },
        { request: { name: 'app.add', args: [40, 2], kwargs: {} } },
      );
      const res = await http.get('/tasks/t-ok').expect(200);
      expect(res.body).toMatchObject({
        taskId: 't-ok',
        status: 'SUCCESS',
        result: { answer: 42 },
        traceback: null,
        children: null,
        name: 'app.add',
        args: [40, 2],
      });
      expect(new Date(res.body.dateDone as string).getTime()).not.toBeNaN();
    });

    it('a FAILURE has the exception type, args and traceback', async () => {
      const exc = {
        exc_type: 'KeyError',
        exc_message: ['missing'],
        exc_module: 'builtins',
      };
      await results.markAsFailure('t-fail-meta', exc, {
        traceback: 'Traceback ...\nKeyError: missing\n',
      });
      const res = await http.get('/tasks/t-fail-meta').expect(200);
      expect(res.body).toMatchObject({
        status: 'FAILURE',
        result: exc,
        traceback: 'Traceback ...\nKeyError: missing\n',
        exception: { type: 'KeyError', module: 'builtins', args: ['missing'] },
      });
    });

    it('a malformed stored document is a 502 and stays untouched', async () => {
      const file = join(dir, 'celery-task-meta-t-garbage');
      writeFileSync(file, 'not json {');
      const res = await http.get('/tasks/t-garbage').expect(502);
      expect(res.body).toMatchObject({
        statusCode: 502,
        error: 'Bad Gateway',
        key: 'celery-task-meta-t-garbage',
      });
      await http.get('/tasks/t-garbage/result?timeout=0').expect(502);
      expect(existsSync(file)).toBe(true);
    });
  });

  describe('GET /tasks/:id/result (long-poll)', () => {
    it('200 with the result on SUCCESS', async () => {
      await results.markAsDone('r-ok', [1, 2, 3]);
      const res = await http.get('/tasks/r-ok/result?timeout=5').expect(200);
      expect(res.body).toEqual({
        taskId: 'r-ok',
        status: 'SUCCESS',
        ready: true,
        result: [1, 2, 3],
      });
    });

    it('waits for a result written during the poll', async () => {
      const pending = http.get('/tasks/r-late/result?timeout=30');
      const write = (async () => {
        await new Promise((r) => setTimeout(r, 300));
        await results.markAsDone('r-late', 'late');
      })();
      const [res] = await Promise.all([pending, write]);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'SUCCESS', result: 'late' });
    });

    it('202 with the current state when not ready at the timeout', async () => {
      await results.storeResult(
        'r-progress',
        { current: 1, total: 4 },
        'PROGRESS',
      );
      const res = await http
        .get('/tasks/r-progress/result?timeout=0.2')
        .expect(202);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toMatchObject({
        taskId: 'r-progress',
        status: 'PROGRESS',
        ready: false,
        result: { current: 1, total: 4 },
      });
      const pending = await http
        .get('/tasks/r-unknown/result?timeout=0')
        .expect(202);
      expect(pending.body).toMatchObject({
        status: 'PENDING',
        ready: false,
        result: null,
      });
    });

    it('422 with exception type, args and traceback on FAILURE', async () => {
      const exc = {
        exc_type: 'ZeroDivisionError',
        exc_message: ['division by zero'],
        exc_module: 'builtins',
      };
      await results.markAsFailure('r-fail', exc, {
        traceback: 'Traceback (most recent call last):\nZeroDivisionError\n',
      });
      for (const q of ['timeout=0', 'timeout=3']) {
        const res = await http.get(`/tasks/r-fail/result?${q}`).expect(422);
        expect(res.body).toEqual({
          statusCode: 422,
          error: 'Task Failed',
          message: "ZeroDivisionError('division by zero')",
          taskId: 'r-fail',
          status: 'FAILURE',
          exception: {
            type: 'ZeroDivisionError',
            module: 'builtins',
            message: "ZeroDivisionError('division by zero')",
            args: ['division by zero'],
          },
          traceback: 'Traceback (most recent call last):\nZeroDivisionError\n',
        });
      }
    });

    it('410 on REVOKED', async () => {
      await results.markAsRevoked('r-revoked', 'terminated');
      const res = await http
        .get('/tasks/r-revoked/result?timeout=1')
        .expect(410);
      expect(res.body).toMatchObject({
        statusCode: 410,
        error: 'Task Revoked',
        status: 'REVOKED',
        exception: {
          type: 'TaskRevokedError',
          module: 'celery.exceptions',
          args: ['terminated'],
        },
      });
    });

    it.each(['-1', 'abc', '301', '1e3', '', '0x10', 'NaN'])(
      '400 for timeout=%j',
      async (t) => {
        const res = await http
          .get(`/tasks/r-ok/result?timeout=${encodeURIComponent(t)}`)
          .expect(400);
        expect(res.body.message).toMatch(
          /timeout must be a number of seconds from 0 to 300/,
        );
      },
    );

    it('400 for a repeated timeout', async () => {
      await http.get('/tasks/r-ok/result?timeout=1&timeout=2').expect(400);
    });
  });

  describe('hostile ids get a 400 and touch nothing', () => {
    const victim = join(root, 'victim');
    beforeAll(() => writeFileSync(victim, 'keep me'));

    const hostile = [
      ['a path out of the directory', '..%2F..%2Fetc', /path separator/],
      ['a path to a file next to the store', '..%2Fvictim', /path separator/],
      ['a NUL byte', 'abc%00def', /control character/],
      ['a newline', 'abc%0Adef', /control character/],
      ['300 characters', 'x'.repeat(300), /longer than 255/],
      ['".."', '..', /name is "\." or "\.\."/],
      ['"." (encoded)', '%2E', /name is "\." or "\.\."/],
    ] as const;

    it.each(hostile)('%s', async (_label, id, reason) => {
      const before = files();
      for (const [method, path] of [
        ['get', `/tasks/${id}`],
        ['get', `/tasks/${id}/result?timeout=1`],
        ['get', `/tasks/${id}/events`],
        ['delete', `/tasks/${id}`],
        ['get', `/groups/${id}`],
      ] as const) {
        const res = await http[method](path);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(res.body).toMatchObject({
          statusCode: 400,
          error: 'Bad Request',
        });
        expect(String(res.body.message)).toMatch(/Invalid task id/);
        expect(String(res.body.reason ?? res.body.message)).toMatch(reason);
      }
      expect(files()).toEqual(before);
      expect(existsSync(victim)).toBe(true);
    });

    it('POST /demo/tasks with a hostile taskId writes nothing', async () => {
      const before = files();
      for (const taskId of ['../victim', 'a\u0000b', 'y'.repeat(300)]) {
        const res = await http.post('/demo/tasks').send({ taskId }).expect(400);
        expect(res.body.message).toMatch(/Invalid task id/);
      }
      expect(files()).toEqual(before);
      expect(app.get(DemoTaskRunner).active).toBe(0);
    });
  });

  describe('DELETE /tasks/:id', () => {
    it('forgets the result: 204, then PENDING', async () => {
      await results.markAsDone('d-1', 'bye');
      await http.delete('/tasks/d-1').expect(204);
      expect(files()).not.toContain('celery-task-meta-d-1');
      const res = await http.get('/tasks/d-1').expect(200);
      expect(res.body.status).toBe('PENDING');
      await http.delete('/tasks/d-never').expect(204);
    });
  });

  describe('GET /groups/:id', () => {
    it('404 for an unknown group', async () => {
      const res = await http.get('/groups/no-such-group').expect(404);
      expect(res.body.message).toMatch(/No group saved/);
    });

    it('a saved group with its members metas, in order', async () => {
      await results.markAsDone('g-a', 1);
      await results.storeResult('g-b', { current: 1, total: 2 }, 'PROGRESS');
      await results.saveGroup('grp-1', ['g-a', 'g-b', 'g-c']);
      const res = await http.get('/groups/grp-1').expect(200);
      expect(res.body).toMatchObject({
        groupId: 'grp-1',
        size: 3,
        completed: 1,
        ready: false,
      });
      expect(
        (res.body.results as { taskId: string; status: string }[]).map((m) => [
          m.taskId,
          m.status,
        ]),
      ).toEqual([
        ['g-a', 'SUCCESS'],
        ['g-b', 'PROGRESS'],
        ['g-c', 'PENDING'],
      ]);
    });
  });

  describe('POST /demo/tasks and /demo/groups', () => {
    it('202 with the id and Location; the task runs to SUCCESS in the store', async () => {
      const res = await http.post('/demo/tasks').send({ steps: 2 }).expect(202);
      const taskId = res.body.taskId as string;
      expect(res.headers.location).toBe(`/tasks/${taskId}`);
      expect(res.body.links).toEqual({
        meta: `/tasks/${taskId}`,
        result: `/tasks/${taskId}/result`,
        events: `/tasks/${taskId}/events`,
      });
      const done = await http
        .get(`/tasks/${taskId}/result?timeout=30`)
        .expect(200);
      expect(done.body.result).toEqual({
        steps: 2,
        message: 'processed 2 items',
      });
      const meta = await http.get(`/tasks/${taskId}`).expect(200);
      expect(meta.body).toMatchObject({
        name: 'demo.simulate',
        kwargs: { outcome: 'success', steps: 2 },
      });
    });

    it('without a body: a default task', async () => {
      const res = await http.post('/demo/tasks').expect(202);
      await http
        .get(`/tasks/${res.body.taskId as string}/result?timeout=30`)
        .expect(200);
    });

    it('outcome failure ends in FAILURE: 422 with ValueError', async () => {
      const res = await http
        .post('/demo/tasks')
        .send({ outcome: 'failure', steps: 1 })
        .expect(202);
      const failed = await http
        .get(`/tasks/${res.body.taskId as string}/result?timeout=30`)
        .expect(422);
      expect(failed.body.exception).toEqual({
        type: 'ValueError',
        module: 'builtins',
        message: "ValueError('simulated failure after 1 steps')",
        args: ['simulated failure after 1 steps'],
      });
      expect(failed.body.traceback).toMatch(
        /^Traceback \(most recent call last\):/,
      );
    });

    it('outcome revoke ends in REVOKED: 410 with TaskRevokedError', async () => {
      const res = await http
        .post('/demo/tasks')
        .send({ outcome: 'revoke', steps: 1 })
        .expect(202);
      const revoked = await http
        .get(`/tasks/${res.body.taskId as string}/result?timeout=30`)
        .expect(410);
      expect(revoked.body).toMatchObject({
        status: 'REVOKED',
        exception: {
          type: 'TaskRevokedError',
          module: 'celery.exceptions',
          args: ['terminated'],
        },
        traceback: null,
      });
    });
    it('409 when the chosen taskId already has a result', async () => {
      await results.markAsDone('taken', 1);
      const res = await http
        .post('/demo/tasks')
        .send({ taskId: 'taken' })
        .expect(409);
      expect(res.body.message).toMatch(/already has a result/);
    });

    it.each([
      [{ outcome: 'maybe' }, /outcome must be/],
      [{ steps: 0 }, /steps must be an integer from 1 to 20/],
      [{ steps: 21 }, /steps must be an integer/],
      [{ steps: '3' }, /steps must be an integer/],
      [{ steps: 1.5 }, /steps must be an integer/],
      [{ taskId: 5 }, /taskId must be a non-empty string/],
      [{ taskId: '' }, /taskId must be a non-empty string/],
      [{ colour: 'red' }, /unknown field\(s\) colour/],
      [[1, 2], /body must be a JSON object/],
    ])('400 for %j', async (body, message) => {
      const before = files();
      const res = await http
        .post('/demo/tasks')
        .send(body as object)
        .expect(400);
      expect(res.body.message).toMatch(message);
      expect(files()).toEqual(before);
    });

    it('POST /demo/groups saves a group whose members all succeed', async () => {
      const res = await http
        .post('/demo/groups')
        .send({ size: 2, steps: 1 })
        .expect(202);
      const groupId = res.body.groupId as string;
      expect(res.headers.location).toBe(`/groups/${groupId}`);
      const ids = res.body.taskIds as string[];
      expect(ids).toHaveLength(2);
      for (const id of ids)
        await http.get(`/tasks/${id}/result?timeout=30`).expect(200);
      const group = await http.get(`/groups/${groupId}`).expect(200);
      expect(group.body).toMatchObject({
        groupId,
        size: 2,
        completed: 2,
        ready: true,
      });
      expect(
        (group.body.results as { groupId?: string }[]).every(
          (m) => m.groupId === groupId,
        ),
      ).toBe(true);
      await http.post('/demo/groups').send({ size: 11 }).expect(400);
    });
  });

  it('GET /health is up with the store kind, description and latency', async () => {
    const res = await http.get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.results).toMatchObject({
      status: 'up',
      instance: 'default',
      backend: 'filesystem',
      description: `file://${dir}`,
    });
    expect(typeof res.body.info.results.latencyMs).toBe('number');
  });
});

describe('demo app with a disabled backend', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await startDemoApp({ CELERY_RESULT_BACKEND: 'disabled://' });
  });
  afterAll(() => app?.close());

  it('answers 503 for results and for /health, and keeps running', async () => {
    const http = request(await app.getUrl());
    const res = await http.get('/tasks/any').expect(503);
    expect(res.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
    });
    expect(res.body.message).toMatch(/No result backend is configured/);
    await http.get('/tasks/any/result?timeout=1').expect(503);
    await http.get('/tasks/any/events').expect(503);
    await http.post('/demo/tasks').expect(503);
    const health = await http.get('/health').expect(503);
    expect(health.body.error.results).toMatchObject({
      status: 'down',
      backend: 'disabled',
    });
    await http.get('/tasks/any').expect(503);
  });
});

describe('demo app shutdown', () => {
  it('clears the timers of running simulated tasks', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rb-app-stop-'));
    const app = await startDemoApp({
      RESULTS_DIR: root,
      DEMO_STEP_MS: '60000',
    });
    try {
      const http = request(await app.getUrl());
      await http.post('/demo/tasks').send({ steps: 20 }).expect(202);
      await http.post('/demo/tasks').send({ steps: 20 }).expect(202);
      const runner = app.get(DemoTaskRunner);
      expect(runner.active).toBe(2);
      await app.close();
      expect(runner.active).toBe(0);
    } finally {
      await app.close(); // idempotent; the 60 s step timers must never outlive a failed test
      rmSync(root, { recursive: true, force: true });
    }
  });
});
