import {
  commonPrefix,
  isListable,
  LIST_MAX_PAGES,
  LIST_RETRY_MS,
  ListPolicy,
  planListedRead,
} from './s3-list.policy.js';

describe('planListedRead: an unlisted key is missing, the cached ETag unchanged, else a GET', () => {
  it.each([
    [undefined, undefined, 'missing'],
    [undefined, '"a"', 'missing'],
    ['"a"', '"a"', 'unchanged'],
    // The key changed after it was delivered: a new ETag is read again.
    ['"b"', '"a"', 'get'],
    ['"a"', undefined, 'get'],
  ])('listed ETag %p, cached ETag %p: %s', (etag, cachedEtag, plan) => {
    expect(planListedRead(etag, cachedEtag)).toBe(plan);
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
