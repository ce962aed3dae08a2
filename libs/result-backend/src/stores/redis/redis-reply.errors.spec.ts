import {
  permanentRedisError,
  redisConfigurationError,
} from './redis-reply.errors.js';

/** ioredis' error once every sentinel failed (SentinelConnector, 5.x wording). */
const allSentinels = (last: string): Error =>
  new Error(
    `All sentinels are unreachable. Retrying from scratch after 100ms. Last error: ${last}`,
  );

describe('permanentRedisError', () => {
  it('passes a permanent reply through, and a Cluster client’s last node error', () => {
    const wrong = new Error('WRONGPASS invalid username-password pair');
    expect(permanentRedisError(wrong)).toBe(wrong);
    const cluster = Object.assign(new Error('Failed to refresh slots cache.'), {
      lastNodeError: new Error('NOAUTH Authentication required.'),
    });
    expect(permanentRedisError(cluster)?.message).toBe(
      'NOAUTH Authentication required.',
    );
  });

  it.each([
    'WRONGPASS invalid username-password pair or user is disabled.',
    'NOAUTH Authentication required.',
  ])('finds the sentinels refusing their password: %s', (reply) => {
    const err = allSentinels(reply);
    const found = permanentRedisError(err);
    expect(found?.message).toBe(`the sentinels refused: ${reply}`);
    expect(found?.cause).toBe(err);
    expect(redisConfigurationError('sentinel://…', found!).message).toBe(
      `Result backend sentinel://… unavailable: configuration error, not retried: the sentinels refused: ${reply} (check the sentinels' own password (sentinel_kwargs, redis.sentinelPassword))`,
    );
  });

  it('leaves outages alone, also when the sentinels are down', () => {
    expect(
      permanentRedisError(allSentinels('connect ECONNREFUSED 127.0.0.1:1')),
    ).toBeUndefined();
    expect(
      permanentRedisError(new Error('connect ECONNREFUSED 127.0.0.1:1')),
    ).toBeUndefined();
    expect(permanentRedisError('WRONGPASS as a string')).toBeUndefined();
  });
});
