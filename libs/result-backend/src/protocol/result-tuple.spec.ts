import { PyDecimal } from './pickle/python-values.js';
import { decodeChordEntry, encodeChordEntry } from './chord.js';
import { MalformedResultError } from '../errors/malformed-result.error.js';
import { decodeGroupMeta, encodeGroupMeta } from './group-meta.js';
import {
  decodeResultTuple,
  encodeResultTuple,
  type ResultNode,
} from './result-tuple.js';

describe('result tuples', () => {
  it('encodes tasks, groups and parents like as_tuple', () => {
    const parent: ResultNode = { id: 'p', parent: null };
    expect(encodeResultTuple({ id: 't', parent: null })).toEqual([
      ['t', null],
      null,
    ]);
    expect(encodeResultTuple({ id: 't', parent })).toEqual([
      ['t', [['p', null], null]],
      null,
    ]);
    expect(
      encodeResultTuple({
        id: 'g',
        parent: null,
        children: [{ id: 'a', parent: null }],
      }),
    ).toEqual([['g', null], [[['a', null], null]]]);
  });

  it('decodes both head forms and round-trips', () => {
    expect(decodeResultTuple(['bare', null])).toEqual({
      id: 'bare',
      parent: null,
    });
    const node: ResultNode = {
      id: 'g',
      parent: { id: 'p', parent: null },
      children: [
        { id: 'a', parent: null },
        { id: 'b', parent: null, children: [] },
      ],
    };
    expect(decodeResultTuple(encodeResultTuple(node))).toEqual(node);
  });

  it('throws a TypeError on garbage', () => {
    for (const bad of [
      null,
      'x',
      [],
      ['a'],
      [['a', null], 5],
      [[1, null], null],
      [['a', null, 3], null],
      [['a', 'not-a-tuple'], null],
    ]) {
      expect(() => decodeResultTuple(bad)).toThrow(TypeError);
    }
    let deep: unknown = [['leaf', null], null];
    for (let i = 0; i < 2000; i++) deep = [[`n${i}`, deep], null];
    expect(() => decodeResultTuple(deep)).toThrow(TypeError);
  });
});

describe('group meta', () => {
  it('encodes exactly what Celery 5.2.6 saves', () => {
    expect(encodeGroupMeta('g1', ['t1', { id: 't2', parent: null }])).toBe(
      '{"result": [["g1", null], [[["t1", null], null], [["t2", null], null]]]}',
    );
  });

  it('decodes, treats missing/empty as null and refuses non-groups', () => {
    expect(
      decodeGroupMeta(
        'k',
        '{"result": [["g1", null], [[["t1", null], null]]]}',
      ),
    ).toEqual({ groupId: 'g1', results: [{ id: 't1', parent: null }] });
    expect(decodeGroupMeta('k', null)).toBeNull();
    expect(decodeGroupMeta('k', '')).toBeNull();
    for (const bad of [
      '{',
      '[]',
      '{"status": "SUCCESS"}',
      '{"result": [["t", null], null]}',
      '{"result": 5}',
    ]) {
      expect(() => decodeGroupMeta('k', bad)).toThrow(MalformedResultError);
    }
  });
});

describe('chord entries', () => {
  it('encodes the Redis .j member bytes and decodes them', () => {
    expect(encodeChordEntry('t1', 'SUCCESS', 2)).toBe(
      '[1, "t1", "SUCCESS", 2]',
    );
    expect(encodeChordEntry('t1', 'FAILURE', new RangeError('x'))).toBe(
      '[1, "t1", "FAILURE", {"exc_type": "ValueError", "exc_message": ["x"], "exc_module": "builtins"}]',
    );
    expect(decodeChordEntry('[1, "t1", "SUCCESS", NaN]')).toEqual({
      taskId: 't1',
      state: 'SUCCESS',
      result: NaN,
    });
  });

  it('decodes kombu envelopes like task documents and writes them back (5.3+ forms)', () => {
    // A Celery 5.6.3 chord part returning Decimal('1.10').
    const member =
      '[1, "t1", "SUCCESS", {"__type__": "decimal", "__value__": "1.10"}]';
    const entry = decodeChordEntry(member);
    expect(entry.result).toEqual(new PyDecimal('1.10'));
    expect(
      decodeChordEntry(member, 'k.j', { decodeEnvelopes: false }).result,
    ).toEqual({ __type__: 'decimal', __value__: '1.10' });
    expect(
      encodeChordEntry('t1', 'SUCCESS', entry.result, { kombuTagged: true }),
    ).toBe(member);
    expect(() =>
      decodeChordEntry(
        '[1, "t1", "SUCCESS", {"__type__": "x", "__value__": 1}]',
      ),
    ).toThrow(MalformedResultError);
  });

  it.each([
    'x',
    '[2, "t", "SUCCESS", 1]',
    '[1, "t", "SUCCESS"]',
    '{"a": 1}',
    '[1, 5, "SUCCESS", 1]',
  ])('refuses anything else with MalformedResultError: %p', (bad) => {
    expect(() => decodeChordEntry(bad, 'k.j')).toThrow(MalformedResultError);
  });
});
