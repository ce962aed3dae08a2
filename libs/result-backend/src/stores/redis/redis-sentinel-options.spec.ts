import {
  buildSentinelOptions,
  reconnectOnReadonly,
} from './redis-sentinel.store.js';
import {
  isConnectedTo,
  parseSwitchMaster,
} from './redis-sentinel-switch.watcher.js';
import { parseSentinelUrl } from './sentinel-url.parser.js';

// A config as the URL parser builds it (the parse itself: sentinel-url.util.spec.ts).
const config = parseSentinelUrl(
  'sentinel://:master-secret@s1:26379/2;sentinel://s2:26380',
  {
    masterName: 'mymaster',
    sentinelPassword: 'sentinel-secret',
    socketConnectTimeout: 1.5,
  },
);

describe('sentinel options', () => {
  it('finds the master through the sentinels, with both passwords kept apart', async () => {
    const o = await buildSentinelOptions(config, 'command');
    expect(o.sentinels).toEqual([
      { host: 's1', port: 26379 },
      { host: 's2', port: 26380 },
    ]);
    expect(o.name).toBe('mymaster');
    expect(o.role).toBe('master');
    expect(o.db).toBe(2);
    expect(o.password).toBe('master-secret');
    expect(o.sentinelPassword).toBe('sentinel-secret');
    expect(o.sentinelCommandTimeout).toBe(1500);
    expect(o.host).toBeUndefined();
    expect(o.port).toBeUndefined();
    expect(o.failoverDetector).toBeUndefined();
    expect(o.reconnectOnError).toBe(reconnectOnReadonly);
  });

  it('the subscriber waits through outages and resubscribes itself', async () => {
    const o = await buildSentinelOptions(config, 'subscriber');
    expect(o.autoResubscribe).toBe(false);
    expect(o.maxRetriesPerRequest).toBeNull();
    expect(o.reconnectOnError).toBeUndefined();
  });

  it('reconnects and resends on READONLY only', () => {
    expect(
      reconnectOnReadonly(
        new Error("READONLY You can't write against a read only replica."),
      ),
    ).toBe(2);
    expect(
      reconnectOnReadonly(new Error('WRONGTYPE Operation against a key')),
    ).toBe(false);
  });
});

describe('+switch-master', () => {
  it('parses the new address of our master only', () => {
    expect(
      parseSwitchMaster('mymaster 127.0.0.1 6379 127.0.0.1 6380', 'mymaster'),
    ).toEqual({
      host: '127.0.0.1',
      port: 6380,
    });
    expect(
      parseSwitchMaster('other 127.0.0.1 6379 127.0.0.1 6380', 'mymaster'),
    ).toBeNull();
    expect(parseSwitchMaster('mymaster 127.0.0.1 6379', 'mymaster')).toBeNull();
    expect(parseSwitchMaster('mymaster a 1 b notaport', 'mymaster')).toBeNull();
  });

  it('compares the socket with the announced address (port only for host names)', () => {
    const c = (remoteAddress: string, remotePort: number) =>
      ({ stream: { remoteAddress, remotePort } }) as unknown as Parameters<
        typeof isConnectedTo
      >[0];
    expect(
      isConnectedTo(c('127.0.0.1', 6380), { host: '127.0.0.1', port: 6380 }),
    ).toBe(true);
    expect(
      isConnectedTo(c('::ffff:127.0.0.1', 6380), {
        host: '127.0.0.1',
        port: 6380,
      }),
    ).toBe(true);
    expect(
      isConnectedTo(c('127.0.0.1', 6379), { host: '127.0.0.1', port: 6380 }),
    ).toBe(false);
    expect(
      isConnectedTo(c('10.0.0.2', 6380), { host: '10.0.0.1', port: 6380 }),
    ).toBe(false);
    expect(
      isConnectedTo(c('10.0.0.2', 6380), { host: 'redis-b', port: 6380 }),
    ).toBe(true);
    expect(
      isConnectedTo(
        { stream: undefined } as unknown as Parameters<typeof isConnectedTo>[0],
        { host: 'x', port: 1 },
      ),
    ).toBe(false);
  });
});
