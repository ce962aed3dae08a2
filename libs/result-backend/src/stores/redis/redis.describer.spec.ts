import { describeRedis } from './redis.describer.js';
import { parseRedisUrl } from './redis-url.parser.js';

// Described configs read back as the URLs they were parsed from.
const base = parseRedisUrl('redis://cache.local:6380/3');

describe('describeRedis', () => {
  it('masks the password and keeps the user', () => {
    expect(
      describeRedis({ ...base, username: 'app', password: 's3cret' }),
    ).toBe('redis://app:***@cache.local:6380/3');
    expect(describeRedis({ ...base, password: 's3cret' })).toBe(
      'redis://:***@cache.local:6380/3',
    );
    expect(describeRedis({ ...base, username: 'app' })).toBe(
      'redis://app@cache.local:6380/3',
    );
  });

  it('names TLS, IPv6 and unix sockets like the URLs they came from', () => {
    expect(describeRedis({ ...base, tls: { certReqs: 'required' } })).toBe(
      'rediss://cache.local:6380/3?ssl_cert_reqs=required',
    );
    expect(describeRedis({ ...base, host: '::1' })).toBe(
      'redis://[::1]:6380/3',
    );
    expect(
      describeRedis({
        ...base,
        socketPath: '/run/redis.sock',
        password: 'x',
      }),
    ).toBe('redis+socket://:***@/run/redis.sock?virtual_host=3');
  });
});
