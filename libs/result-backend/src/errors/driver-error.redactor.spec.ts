import { inspect } from 'node:util';
import { BackendUnavailableError } from './backend-unavailable.error.js';
import { REDACTED, redactDriverError } from './driver-error.redactor.js';

/** An error shaped like ioredis' ReplyError after DataHandler attached the command. */
function replyError(name: string, args: unknown[]): Error {
  const err = new Error('WRONGPASS invalid username-password pair');
  err.name = 'ReplyError';
  (err as Error & { command: unknown }).command = { name, args };
  return err;
}

const SECRET = 'Hunter2Secret';

describe('redactDriverError', () => {
  it('replaces every AUTH, HELLO and MIGRATE argument and keeps name, message and stack', () => {
    for (const [name, args] of [
      ['auth', ['bob', SECRET]],
      ['auth', [SECRET]],
      ['AUTH', [Buffer.from(SECRET)]],
      ['hello', ['3', 'AUTH', 'bob', SECRET, 'SETNAME', 'x']],
      ['migrate', ['h', '1', '', '0', '5', 'AUTH', SECRET, 'KEYS', 'k']],
    ] as const) {
      const err = replyError(name, [...args]);
      const stack = err.stack;
      expect(redactDriverError(err)).toBe(err);
      expect(err).toMatchObject({
        name: 'ReplyError',
        message: 'WRONGPASS invalid username-password pair',
        command: { name, args: args.map(() => REDACTED) },
      });
      expect(err.stack).toBe(stack);
      expect(inspect(err, { depth: Infinity })).not.toContain(SECRET);
    }
  });

  it('leaves the driver command object itself and other commands alone', () => {
    const args = ['bob', SECRET];
    const command = { name: 'auth', args };
    const err = Object.assign(new Error('x'), { command });
    redactDriverError(err);
    expect(args).toEqual(['bob', SECRET]);
    expect(command.args).toBe(args);
    const get = Object.assign(new Error('y'), {
      command: { name: 'get', args: ['celery-task-meta-1'] },
    });
    expect(redactDriverError(get).command.args).toEqual(['celery-task-meta-1']);
  });

  it('follows cause, lastNodeError, previousErrors and AggregateError.errors, and survives cycles', () => {
    const leaf = replyError('auth', [SECRET]);
    const cluster = Object.assign(new Error('Failed to refresh slots cache.'), {
      lastNodeError: leaf,
    });
    const previous = Object.assign(new Error('All sentinels'), {
      previousErrors: [replyError('hello', ['3', 'AUTH', 'u', SECRET])],
    });
    const top = new AggregateError([cluster, previous], 'many', {
      cause: replyError('auth', ['u', SECRET]),
    });
    (leaf as Error & { cause: unknown }).cause = top; // a cycle
    redactDriverError(top);
    const text = inspect(top, { depth: Infinity });
    expect(text).not.toContain(SECRET);
    expect(text).toContain(REDACTED);
    expect(text).toContain('Failed to refresh slots cache.');
  });

  it('passes non-errors and frozen errors through without throwing', () => {
    expect(redactDriverError(null)).toBeNull();
    expect(redactDriverError('text')).toBe('text');
    const frozen = Object.freeze(replyError('auth', [SECRET]));
    expect(() => redactDriverError(frozen)).not.toThrow();
  });

  it('is applied to every BackendUnavailableError cause', () => {
    const err = new BackendUnavailableError('redis://bob:**@h:1/0', 'down', {
      cause: replyError('auth', ['bob', SECRET]),
    });
    expect(inspect(err, { depth: Infinity })).not.toContain(SECRET);
    expect(JSON.stringify(err.cause)).not.toContain(SECRET);
    expect(err.cause).toMatchObject({
      name: 'ReplyError',
      command: { name: 'auth', args: [REDACTED, REDACTED] },
    });
  });
});
