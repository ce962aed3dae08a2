import { JsonDepthError } from '../errors/json-depth.error.js';
import { MalformedResultError } from '../errors/malformed-result.error.js';
import {
  decodeChordEntry,
  decodeGroupMeta,
  decodeTaskMeta,
  encodeTaskMeta,
  MAX_JSON_DEPTH,
  parseCeleryJson,
  stringifyCeleryJson,
} from './index.js';

const text = (levels: number, inner = ''): string =>
  '['.repeat(levels) + inner + ']'.repeat(levels);
const value = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
};
/** Run `fn` with most of the call stack already used, as a deep caller would. */
const onDeepStack = <T>(frames: number, fn: () => T): T =>
  frames === 0 ? fn() : onDeepStack(frames - 1, fn);

describe('one JSON depth limit (MAX_JSON_DEPTH = 1000)', () => {
  it('is 1000 levels', () => {
    expect(MAX_JSON_DEPTH).toBe(1000);
  });

  it.each([
    ['native path', ''],
    ['scanner path (NaN)', 'NaN'],
    ['scanner path (big integer)', '123456789012345678901'],
  ])('parses 1000 levels and refuses 1001 and 12,000 on the %s', (_, inner) => {
    expect(() => parseCeleryJson(text(1000, inner))).not.toThrow();
    for (const levels of [1001, 12_000, 200_000]) {
      let caught: unknown;
      try {
        parseCeleryJson(text(levels, inner));
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(JsonDepthError);
      expect(caught).toMatchObject({ limit: 1000, operation: 'parse' });
    }
  });

  it('does not depend on the call stack', () => {
    expect(() => onDeepStack(5000, () => parseCeleryJson(text(5000)))).toThrow(
      JsonDepthError,
    );
    expect(
      onDeepStack(5000, () => parseCeleryJson(text(1000, 'NaN'))),
    ).toBeDefined();
  });

  it('counts from the top of a task meta, on read and write alike', () => {
    const doc = (levels: number): string =>
      `{"status": "SUCCESS", "result": ${text(levels)}, "task_id": "t"}`;
    expect(decodeTaskMeta('t', doc(999)).status).toBe('SUCCESS');
    for (const levels of [1000, 5000, 12_000]) {
      let caught: unknown;
      try {
        decodeTaskMeta('t', doc(levels));
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(MalformedResultError);
      expect((caught as MalformedResultError).cause).toBeInstanceOf(
        JsonDepthError,
      );
      expect((caught as MalformedResultError).reason).toBe(
        'not valid JSON (JSON nested deeper than 1000 levels)',
      );
    }
    // 998 lists around 1: 999 levels in `result`, 1000 with the meta object.
    const written = encodeTaskMeta({
      taskId: 't',
      status: 'SUCCESS',
      result: value(999),
    });
    expect(decodeTaskMeta('t', written).result).toEqual(value(999));
    expect(() =>
      encodeTaskMeta({ taskId: 't', status: 'SUCCESS', result: value(1000) }),
    ).toThrow(JsonDepthError);
  });

  it('refuses too-deep values on write with a typed error, never a RangeError', () => {
    expect(stringifyCeleryJson(value(1000))).toBe(text(1000, '1'));
    for (const levels of [1001, 12_000]) {
      expect(() => stringifyCeleryJson(value(levels))).toThrow(
        new JsonDepthError(1000, 'stringify'),
      );
    }
  });

  it('gives MalformedResultError for too-deep chord entries and group metas', () => {
    expect(() =>
      decodeChordEntry(`[1, "t", "SUCCESS", ${text(12_000)}]`),
    ).toThrow(MalformedResultError);
    expect(() => decodeGroupMeta('g', `{"result": ${text(12_000)}}`)).toThrow(
      MalformedResultError,
    );
  });
});
