import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { mapConcurrent } from '../../utils/map-concurrent.util.js';
import {
  describeS3Error,
  isMissingKey,
  isNotModified,
  isWriteConflict,
  toUnavailable,
} from './s3.errors.js';
import { KeyQueue } from '../../utils/key.queue.js';
import { isSuccessDocument as isSuccessText } from '../../protocol/index.js';

const sdkError = (name: string, status?: number): Error =>
  Object.assign(
    new Error(name === 'Unknown' ? 'UnknownError' : `${name} message`),
    {
      name,
      $metadata: { httpStatusCode: status },
    },
  );

describe('mapConcurrent', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapConcurrent([5, 1, 4, 2, 3, 0], 2, async (n, i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return `${i}:${n}`;
    });
    expect(out).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0']);
    expect(peak).toBe(2);
    expect(await mapConcurrent([], 4, () => Promise.resolve(1))).toEqual([]);
  });

  it('stops starting work after the first failure and rethrows it', async () => {
    const started: number[] = [];
    const err = await mapConcurrent([0, 1, 2, 3, 4, 5], 1, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('boom');
      return n;
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('boom');
    expect(started).toEqual([0, 1]);
  });
});

describe('isSuccessText', () => {
  it.each([
    ['{"status": "SUCCESS", "result": 1}', true],
    ['{"status": "SUCCESS", "result": [NaN, Infinity]}', true],
    ['{"result": {"status": "SUCCESS"}, "status": "FAILURE"}', false],
    ['{"status": "STARTED", "result": NaN}', false],
    ['', false],
    ['not json', false],
  ])('%s -> %s', (text, expected) => {
    expect(isSuccessText(text)).toBe(expected);
  });
});

describe('S3 error classification', () => {
  it('tells missing keys, 304, write conflicts and the rest apart', () => {
    expect(isMissingKey(sdkError('NoSuchKey', 404))).toBe(true);
    expect(isMissingKey(sdkError('NoSuchBucket', 404))).toBe(false);
    expect(isNotModified(sdkError('Unknown', 304))).toBe(true);
    expect(isWriteConflict(sdkError('PreconditionFailed', 412))).toBe(true);
    expect(isWriteConflict(sdkError('ConditionalRequestConflict', 409))).toBe(
      true,
    );
    expect(isWriteConflict(sdkError('NoSuchKey', 404))).toBe(false);
  });

  it('names the bucket when it is missing and hints at permissions on 403', () => {
    expect(
      describeS3Error(sdkError('NoSuchBucket', 404), 'b', 'GetObject'),
    ).toMatch(/bucket "b" does not exist/);
    expect(
      describeS3Error(sdkError('NotFound', 404), 'b', 'HeadBucket'),
    ).toMatch(/bucket "b" does not exist/);
    expect(
      describeS3Error(sdkError('AccessDenied', 403), 'b', 'PutObject'),
    ).toMatch(/access denied/);
    const wrapped = toUnavailable(
      sdkError('InternalError', 500),
      's3://b/',
      'b',
      'GetObject',
    );
    expect(wrapped).toBeInstanceOf(BackendUnavailableError);
    expect(wrapped.message).toBe(
      'Result backend s3://b/ unavailable: GetObject: InternalError (HTTP 500): InternalError message',
    );
    expect(toUnavailable(wrapped, 'x', 'b', 'op')).toBe(wrapped);
  });
});

describe('KeyQueue (as used by S3)', () => {
  it('runs tasks for one key in order, other keys in parallel, and survives failures', async () => {
    const lock = new KeyQueue();
    const log: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async (): Promise<string> => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      lock.run('k', task('a1', 20, true)),
      lock.run('k', task('a2', 1)),
      lock.run('other', task('b', 5)),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b')).toBeLessThan(log.indexOf('end a1'));
    expect(lock.size).toBe(0);
  });
});
