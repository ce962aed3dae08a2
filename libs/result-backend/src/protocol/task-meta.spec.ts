import { PyDecimal } from './pickle/python-values.js';
import { MalformedResultError } from '../errors/malformed-result.error.js';
import { TaskFailedError } from '../errors/task-failed.error.js';
import { TaskRevokedError } from '../errors/task-revoked.error.js';
import {
  decodeTaskMeta,
  encodeTaskMeta,
  isSuccessDocument,
  pendingMeta,
} from './index.js';

const ID = 'aaaaaaaa-0000-0000-0000-000000000001';

describe('decodeTaskMeta', () => {
  it('reads a missing or empty document as PENDING', () => {
    for (const raw of [null, '']) {
      expect(decodeTaskMeta(ID, raw)).toEqual(pendingMeta(ID));
    }
    expect(pendingMeta(ID)).toMatchObject({
      status: 'PENDING',
      result: null,
      children: null,
      keys: ['status', 'result'],
      raw: null,
    });
  });

  it('reads an extended SUCCESS document', () => {
    const raw = `{"status": "SUCCESS", "result": 5, "traceback": null, "children": [], "date_done": "2024-05-01T12:00:00.063201", "group_id": "g", "parent_id": "p", "name": "tasks.add", "args": [2, 3], "kwargs": {}, "worker": "w1@testhost", "retries": 0, "queue": "celery", "task_id": "${ID}"}`;
    const meta = decodeTaskMeta<number>(ID, raw);
    expect(meta).toMatchObject({
      taskId: ID,
      status: 'SUCCESS',
      result: 5,
      error: null,
      traceback: null,
      children: [],
      dateDoneRaw: '2024-05-01T12:00:00.063201',
      groupId: 'g',
      parentId: 'p',
      name: 'tasks.add',
      args: [2, 3],
      kwargs: {},
      worker: 'w1@testhost',
      retries: 0,
      queue: 'celery',
      raw,
    });
    expect(meta.dateDone?.toISOString()).toBe('2024-05-01T12:00:00.063Z');
    expect(meta.extra).toBeUndefined();
    expect(meta.keys[meta.keys.length - 1]).toBe('task_id');
  });

  it('rebuilds errors for exception states and keeps the dict as result', () => {
    const failure = decodeTaskMeta(
      ID,
      '{"status": "FAILURE", "result": {"exc_type": "KeyError", "exc_message": ["k"], "exc_module": "builtins"}, "traceback": "tb\\n", "children": null, "date_done": "2024-05-01T12:00:00", "task_id": "x"}',
    );
    expect(failure.error).toBeInstanceOf(TaskFailedError);
    expect(failure.error).toMatchObject({
      excType: 'KeyError',
      excArgs: ['k'],
      traceback: 'tb\n',
      taskId: 'x',
    });
    expect(failure.result).toEqual({
      exc_type: 'KeyError',
      exc_message: ['k'],
      exc_module: 'builtins',
    });
    const revoked = decodeTaskMeta(
      ID,
      '{"status": "REVOKED", "result": {"exc_type": "TaskRevokedError", "exc_message": ["revoked"], "exc_module": "celery.exceptions"}}',
    );
    expect(revoked.error).toBeInstanceOf(TaskRevokedError);
    expect(revoked.taskId).toBe(ID);
  });

  it('gives FAILURE/REVOKED documents without exception data an error (Celery get() raises)', () => {
    const failed = decodeTaskMeta(
      'failnull',
      '{"status": "FAILURE", "result": null, "task_id": "failnull"}',
    );
    expect(failed.result).toBeNull();
    expect(failed.error).toBeInstanceOf(TaskFailedError);
    expect(failed.error?.message).toBe(
      "Task failnull is FAILURE but no exception was stored (result: null); Celery's get() raises here too",
    );
    const revoked = decodeTaskMeta(
      'r',
      '{"status": "REVOKED", "task_id": "r"}',
    );
    expect(revoked.error).toBeInstanceOf(TaskRevokedError);
    expect(
      decodeTaskMeta('q', '{"status": "RETRY", "result": null}').error,
    ).toBeNull();
  });

  it('keeps custom states, big numbers and unknown fields', () => {
    const meta = decodeTaskMeta(
      ID,
      '{"status": "PROGRESS", "result": {"n": 12345678901234567890, "x": NaN}, "stamped_headers": ["s"], "s": 1, "task_id": "t"}',
    );
    expect(meta.status).toBe('PROGRESS');
    expect(meta.result).toEqual({ n: 12345678901234567890n, x: NaN });
    expect(meta.extra).toEqual({ stamped_headers: ['s'], s: 1 });
    expect(meta.error).toBeNull();
  });

  it('decodes kombu 5.3 envelopes unless told not to, and refuses unknown ones', () => {
    const raw =
      '{"status": "SUCCESS", "result": {"__type__": "decimal", "__value__": "1.10"}, "date_done": "2024-05-01T12:00:00+00:00"}';
    expect(decodeTaskMeta(ID, raw).result).toEqual(new PyDecimal('1.10'));
    expect(decodeTaskMeta(ID, raw, { decodeEnvelopes: false }).result).toEqual({
      __type__: 'decimal',
      __value__: '1.10',
    });
    expect(decodeTaskMeta(ID, raw).dateDone?.toISOString()).toBe(
      '2024-05-01T12:00:00.000Z',
    );
    expect(() =>
      decodeTaskMeta(
        ID,
        '{"status": "SUCCESS", "result": {"__type__": "pickle", "__value__": "x"}}',
      ),
    ).toThrow(MalformedResultError);
  });

  it.each(['{', '[]', '"SUCCESS"', '{"result": 1}', '{"status": 1}', 'null'])(
    'throws MalformedResultError for the non-result %p',
    (bad) => {
      expect(() => decodeTaskMeta(ID, bad, { key: 'my-key' })).toThrow(
        MalformedResultError,
      );
    },
  );

  it('names the key and an excerpt in MalformedResultError', () => {
    let caught: unknown;
    try {
      decodeTaskMeta(ID, '{"result": 1}');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MalformedResultError);
    expect(caught).toMatchObject({
      key: `celery-task-meta-${ID}`,
      excerpt: '{"result": 1}',
    });
  });

  it('tolerates odd field types and skips children that are not result tuples', () => {
    const meta = decodeTaskMeta(
      ID,
      '{"status": "SUCCESS", "traceback": 5, "children": [[["c", null], null], "junk", 7], "date_done": "garbage", "retries": "x", "args": "y"}',
    );
    expect(meta).toMatchObject({
      traceback: null,
      children: [{ id: 'c', parent: null }],
      dateDone: null,
      dateDoneRaw: 'garbage',
      result: null,
    });
    expect(meta.retries).toBeUndefined();
    expect(meta.args).toBeUndefined();
    expect(
      decodeTaskMeta(ID, '{"status": "SUCCESS", "children": {"a": 1}}')
        .children,
    ).toBeNull();
  });
});

describe('encodeTaskMeta', () => {
  const date = new Date(Date.UTC(2024, 4, 1, 12, 0, 0, 63));

  it('writes the Celery 5.2.6 field order with extended fields', () => {
    expect(
      encodeTaskMeta({
        taskId: ID,
        status: 'SUCCESS',
        result: 5,
        children: [],
        dateDone: date,
        groupId: 'g',
        parentId: 'p',
        request: {
          name: 'tasks.add',
          args: [2, 3],
          kwargs: {},
          worker: 'w1',
          retries: 0,
          queue: 'celery',
        },
      }),
    ).toBe(
      `{"status": "SUCCESS", "result": 5, "traceback": null, "children": [], "date_done": "2024-05-01T12:00:00.063000", "group_id": "g", "parent_id": "p", "name": "tasks.add", "args": [2, 3], "kwargs": {}, "worker": "w1", "retries": 0, "queue": "celery", "task_id": "${ID}"}`,
    );
  });

  it('writes the minimal document outside a worker, null date for unready states', () => {
    expect(
      encodeTaskMeta({
        taskId: 't',
        status: 'PROGRESS',
        result: { current: 3 },
      }),
    ).toBe(
      '{"status": "PROGRESS", "result": {"current": 3}, "traceback": null, "children": null, "date_done": null, "task_id": "t"}',
    );
    expect(
      encodeTaskMeta({ taskId: 't', status: 'SUCCESS', request: {} }),
    ).toContain(
      '"name": null, "args": null, "kwargs": null, "worker": null, "retries": null, "queue": null, "task_id": "t"}',
    );
  });

  it('stamps date_done now for READY states unless given, and honours dateDoneRaw', () => {
    const before = Date.now();
    const meta = decodeTaskMeta(
      't',
      encodeTaskMeta({
        taskId: 't',
        status: 'FAILURE',
        result: new Error('x'),
      }),
    );
    expect(meta.dateDone!.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(meta.result).toEqual({
      exc_type: 'Exception',
      exc_message: ['x'],
      exc_module: 'builtins',
    });
    expect(
      encodeTaskMeta({ taskId: 't', status: 'SUCCESS', dateDone: null }),
    ).toContain('"date_done": null');
    expect(
      encodeTaskMeta({
        taskId: 't',
        status: 'SUCCESS',
        dateDoneRaw: '2024-05-01T12:00:00.123456',
      }),
    ).toContain('"date_done": "2024-05-01T12:00:00.123456"');
  });

  it('writes extra fields before task_id without overriding known ones', () => {
    expect(
      encodeTaskMeta({
        taskId: 't',
        status: 'STARTED',
        extra: { stamped_headers: [], task_id: 'evil', status: 'x' },
      }),
    ).toBe(
      '{"status": "STARTED", "result": null, "traceback": null, "children": null, "date_done": null, "stamped_headers": [], "task_id": "t"}',
    );
  });

  it('writes kombu 5.3 tagged dates on request', () => {
    expect(
      encodeTaskMeta(
        { taskId: 't', status: 'SUCCESS', result: date, dateDone: date },
        { kombuTagged: true },
      ),
    ).toContain(
      '"result": {"__type__": "datetime", "__value__": "2024-05-01T12:00:00.063000+00:00"}',
    );
  });
});

describe('isSuccessDocument', () => {
  it.each([
    ['{"status": "SUCCESS", "result": 1}', true],
    ['{"result": 1, "status": "SUCCESS"}', true],
    ['{"status":"SUCCESS"}', true],
    ['{"status": "SUCCESSFUL", "result": 1}', false],
    ['{"status": "FAILURE"}', false],
    ['{broken', false],
    [null, false],
    ['', false],
  ])('detects SUCCESS by prefix or by parsing: %p is %p', (raw, success) => {
    expect(isSuccessDocument(raw)).toBe(success);
  });
});
