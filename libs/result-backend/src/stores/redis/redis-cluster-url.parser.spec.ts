import { parseBackendUrl } from '../backend-url.parser.js';
import {
  parserOf,
  urlRefusal,
} from '../../../../../test/support/config-error.js';

const cluster = parserOf('redis-cluster');

describe('parseBackendUrl: redis+cluster:// (not in Celery)', () => {
  it('reads comma-separated seed nodes with one set of credentials', () => {
    expect(cluster('redis+cluster://u:p%40w@n1:7000,n2,[::1]:7002')).toEqual({
      kind: 'redis-cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 6379 },
        { host: '::1', port: 7002 },
      ],
      username: 'u',
      password: 'p@w',
      socketTimeout: 120,
      query: {},
    });
    expect(
      cluster('redis+cluster://n1:7000/0?socket_connect_timeout=3&x=y'),
    ).toMatchObject({
      socketConnectTimeout: 3,
      query: { x: 'y' },
    });
    expect(
      cluster('redis+cluster://n1/', { redis: { password: 'sp' } }).password,
    ).toBe('sp');
  });

  it('reads TLS from rediss+cluster:// and refuses it on redis+cluster://', () => {
    expect(
      cluster(
        'rediss+cluster://n1:7000?ssl_cert_reqs=required&ssl_ca_certs=/ca.pem',
      ).tls,
    ).toEqual({
      certReqs: 'required',
      caCerts: '/ca.pem',
    });
    expect(
      cluster('rediss+cluster://n1', {
        redis: { tls: { certReqs: 'optional' } },
      }).tls?.certReqs,
    ).toBe('optional');
    expect(() => parseBackendUrl('rediss+cluster://n1')).toThrow(
      /ssl_cert_reqs/,
    );
    expect(() =>
      parseBackendUrl('redis+cluster://n1?ssl_cert_reqs=none'),
    ).toThrow(/rediss\+cluster/);
  });

  it.each([
    'redis+cluster://:s3cret!@n1:7000;redis+cluster://n2:7001',
    'redis+cluster://:s3cret!@n1,,n2',
    'redis+cluster://:s3cret!@',
    'redis+cluster://:s3cret!@n1:70000',
    'redis+cluster://:s3cret!@n1/1',
  ])(
    'refuses ;-joined URLs, empty nodes, bad ports and a database other than 0: %s',
    (url) => {
      urlRefusal(url, 'redis+cluster://', 's3cret');
    },
  );
});
