import {
  commonPrefix,
  isListable,
  LIST_MAX_PAGES,
  LIST_RETRY_MS,
  ListPolicy,
  planListedRead,
} from './s3-list.policy.js';
import { S3GetGate } from './s3-get.gate.js';
import type { EtagEntry } from './s3-etag.cache.js';
import { isListRefused } from './s3-listed.reader.js';

describe('planListedRead', () => {
  it('reads an unlisted key as missing, the cached ETag as unchanged, anything else with a GET', () => {
    expect(planListedRead(undefined, undefined)).toBe('missing');
    expect(planListedRead(undefined, '"a"')).toBe('missing');
    expect(planListedRead('"a"', '"a"')).toBe('unchanged');
    // The key changed after it was delivered: a new ETag is read again.
    expect(planListedRead('"b"', '"a"')).toBe('get');
    expect(planListedRead('"a"', undefined)).toBe('get');
  });
});

describe('commonPrefix', () => {
  it('is the longest prefix every key shares', () => {
    expect(commonPrefix([])).toBe('');
    expect(commonPrefix(['base/celery-task-meta-1'])).toBe(
      'base/celery-task-meta-1',
    );
    expect(
      commonPrefix([
        'base/celery-task-meta-10',
        'base/celery-task-meta-11',
        'base/celery-task-meta-2',
      ]),
    ).toBe('base/celery-task-meta-');
    expect(
      commonPrefix(['base/celery-task-meta-1', 'base/celery-taskset-meta-1']),
    ).toBe('base/celery-task');
    expect(commonPrefix(['a', 'b'])).toBe('');
  });

  it('never ends inside a surrogate pair', () => {
    // U+1F600 and U+1F601 share their high surrogate.
    expect(commonPrefix(['k-\u{1F600}', 'k-\u{1F601}'])).toBe('k-');
  });
});

describe('isListable', () => {
  it('refuses keys with control characters (XML cannot list them as they are)', () => {
    expect(isListable('celery-task-meta-\u00e9 x')).toBe(true);
    expect(isListable('celery-task-meta-a\rb')).toBe(false);
    expect(isListable('celery-task-meta-a\u0001')).toBe(false);
    expect(isListable('celery-task-meta-\u007f')).toBe(false);
  });
});

describe('ListPolicy', () => {
  it('lists from the threshold on, one page per threshold keys, capped', () => {
    const p = new ListPolicy(64);
    expect(p.pages(63, 0)).toBe(0);
    expect(p.pages(64, 0)).toBe(1);
    expect(p.pages(200, 0)).toBe(3);
    expect(p.pages(10_000, 0)).toBe(LIST_MAX_PAGES);
    expect(new ListPolicy().pages(64, 0)).toBe(1);
  });

  it('0 turns listing off', () => {
    const p = new ListPolicy(0);
    expect(p.disabled).toBe(true);
    expect(p.pages(10_000, 0)).toBe(0);
  });

  it('after a capped listing reads key by key for a while, unless the budget grew', () => {
    const p = new ListPolicy(64);
    p.capped(3, 1000);
    expect(p.pages(200, 1000)).toBe(0);
    expect(p.pages(200, 1000 + LIST_RETRY_MS - 1)).toBe(0);
    expect(p.pages(256, 2000)).toBe(4);
    expect(p.pages(200, 1000 + LIST_RETRY_MS)).toBe(3);
    p.capped(3, 5000);
    p.completed();
    expect(p.pages(200, 5000)).toBe(3);
  });

  it('a refusal turns listing off for good', () => {
    const p = new ListPolicy(64);
    p.refuse();
    expect(p.disabled).toBe(true);
    expect(p.pages(10_000, 10 * LIST_RETRY_MS)).toBe(0);
  });
});

describe('S3GetGate: one GET per key, fresh after a write', () => {
  const entry = (n: number): EtagEntry => ({ etag: `"${n}"`, body: `v${n}` });

  it('joins a running GET, but a read after a write waits for it and starts one fresh GET', async () => {
    let version = 1;
    const pending: (() => void)[] = [];
    let running = 0;
    let peak = 0;
    let sent = 0;
    const gate = new S3GetGate(
      4,
      async () => {
        sent++;
        running++;
        peak = Math.max(peak, running);
        const seen = version; // the bytes at the moment the request is sent
        await new Promise<void>((r) => pending.push(r));
        running--;
        return entry(seen);
      },
      () => false,
    );
    const a = gate.read('k');
    const b = gate.read('k'); // joins
    await Promise.resolve();
    expect(sent).toBe(1);
    version = 2;
    gate.forget('k'); // the running GET may hold version 1
    const c = gate.read('k');
    const d = gate.read('k'); // joins the fresh one
    pending.shift()?.();
    expect(await a).toEqual(entry(1));
    expect(await b).toEqual(entry(1));
    await new Promise((r) => setImmediate(r));
    expect(sent).toBe(2);
    pending.shift()?.();
    expect(await c).toEqual(entry(2));
    expect(await d).toEqual(entry(2));
    expect(peak).toBe(1);
  });

  it('a write before the queued GET is sent needs no second GET', async () => {
    let sent = 0;
    const gate = new S3GetGate(
      1,
      () => {
        sent++;
        return Promise.resolve(entry(sent));
      },
      () => false,
    );
    const first = gate.read('a'); // takes the only slot
    const queued = gate.read('b');
    gate.forget('b'); // not sent yet: it will see the write
    const again = gate.read('b');
    await Promise.all([first, queued, again]);
    expect(sent).toBe(2);
    expect(await again).toBe(await queued);
  });
});

describe('isListRefused', () => {
  const sdkError = (name: string, status?: number): Error =>
    Object.assign(new Error(name), {
      name,
      $metadata: { httpStatusCode: status },
    });

  it('turns listing off for a refusal, not for an outage or a busy server', () => {
    expect(isListRefused(sdkError('AccessDenied', 403))).toBe(true);
    expect(isListRefused(sdkError('NotImplemented', 501))).toBe(true);
    expect(isListRefused(sdkError('MethodNotAllowed', 405))).toBe(true);
    expect(isListRefused(sdkError('InternalError', 500))).toBe(false);
    expect(isListRefused(sdkError('SlowDown', 503))).toBe(false);
    expect(isListRefused(sdkError('NoSuchBucket', 404))).toBe(false);
    expect(isListRefused(sdkError('ECONNREFUSED'))).toBe(false);
  });
});
