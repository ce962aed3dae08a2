import { InvalidTaskIdError } from '../errors/invalid-task-id.error.js';
import {
  assertFileSafeName,
  CHORD_KEY_PREFIX,
  GROUP_KEY_PREFIX,
  KeyBuilder,
  TASK_KEY_PREFIX,
  validateId,
} from './keys.js';

describe('KeyBuilder', () => {
  it('builds Celery 5.2.6 keys without a global prefix', () => {
    const keys = new KeyBuilder();
    expect(keys.taskKey('abc')).toBe('celery-task-meta-abc');
    expect(keys.groupKey('g')).toBe('celery-taskset-meta-g');
    expect(keys.chordKey('g')).toBe('chord-unlock-g');
    expect([keys.taskPrefix, keys.groupPrefix, keys.chordPrefix]).toEqual([
      TASK_KEY_PREFIX,
      GROUP_KEY_PREFIX,
      CHORD_KEY_PREFIX,
    ]);
  });

  it('applies the 5.5+ separator rule: "_" unless the prefix ends with : _ - .', () => {
    expect(new KeyBuilder('app').taskKey('x')).toBe('app_celery-task-meta-x');
    expect(new KeyBuilder('app:').taskKey('x')).toBe('app:celery-task-meta-x');
    expect(new KeyBuilder('app_').groupKey('x')).toBe(
      'app_celery-taskset-meta-x',
    );
    expect(new KeyBuilder('app-').chordKey('x')).toBe('app-chord-unlock-x');
    expect(new KeyBuilder('app.').taskKey('x')).toBe('app.celery-task-meta-x');
  });

  it('applies the 5.3/5.4 rule: always "_"', () => {
    expect(new KeyBuilder('app:', '5.3').taskKey('x')).toBe(
      'app:_celery-task-meta-x',
    );
    expect(new KeyBuilder('app', '5.3').taskKey('x')).toBe(
      'app_celery-task-meta-x',
    );
  });

  it('extracts task ids from task keys only', () => {
    const keys = new KeyBuilder('p:');
    expect(keys.idFromTaskKey('p:celery-task-meta-a/b')).toBe('a/b');
    expect(keys.idFromTaskKey('celery-task-meta-a')).toBeNull();
    expect(keys.idFromTaskKey('p:celery-task-meta-')).toBeNull();
    expect(keys.idFromTaskKey('p:celery-taskset-meta-a')).toBeNull();
  });
});

describe('validateId', () => {
  it.each([
    '59aa6cb6-74d1-540b-a5a8-a2403948fc6a',
    'a/b',
    '../x',
    'é'.repeat(127),
    'x'.repeat(255),
  ])(
    'accepts ordinary ids, including path-like ones for KV stores (#%#)',
    (id) => {
      expect(() => validateId(id)).not.toThrow();
    },
  );

  it.each<unknown>([
    undefined,
    null,
    42,
    {},
    '',
    'a\u0000b',
    'a\nb',
    'a\u007fb',
    'x'.repeat(256),
    'é'.repeat(128),
    '🎉'.repeat(64),
  ])(
    'refuses non-strings, empty, NUL/control/DEL and over 255 UTF-8 bytes (#%#)',
    (bad) => {
      expect(() => validateId(bad)).toThrow(InvalidTaskIdError);
    },
  );

  it('names the kind of id it refuses', () => {
    expect(() => validateId('', 'group')).toThrow(/group id is empty/);
  });
});

describe('assertFileSafeName', () => {
  it('refuses lone UTF-16 surrogates but accepts surrogate pairs', () => {
    for (const bad of [
      'a\ud800b',
      'a\udc00b',
      '\ud800',
      'x\udbff',
      '\udfff\ud800',
    ])
      expect(() => validateId(bad)).toThrow(/lone UTF-16 surrogate/);
    expect(() => validateId('emoji-\u{1F600}')).not.toThrow();
    expect(() => validateId('\ud83d\ude00\ud83d\ude00')).not.toThrow();
  });

  it.each(['a/b', '../x', 'a\\b', '.', '..', 'x'.repeat(256), '', 'a\u0000'])(
    'refuses separators, dot names and long names (#%#)',
    (bad) => {
      expect(() => assertFileSafeName(bad)).toThrow(InvalidTaskIdError);
    },
  );

  it('accepts task key names, also with ".." inside one', () => {
    expect(() => assertFileSafeName('celery-task-meta-..x')).not.toThrow();
    expect(() => assertFileSafeName('celery-task-meta-59aa6cb6')).not.toThrow();
  });
});
