import { describeBackend } from './backend.describer.js';
import { parseBackendUrl } from './backend-url.parser.js';

const describeUrl = (
  url: string,
  settings?: Parameters<typeof parseBackendUrl>[1],
) => describeBackend(parseBackendUrl(url, settings));

describe('describeBackend', () => {
  it.each([
    ['redis://u:pw@h:6380/2?foo=bar', 'redis://u:***@h:6380/2'],
    ['redis://h', 'redis://h:6379/0'],
    [
      'rediss://:pw@h/0?ssl_cert_reqs=CERT_NONE',
      'rediss://:***@h:6379/0?ssl_cert_reqs=none',
    ],
    [
      'redis+socket:///tmp/r.sock?virtual_host=3',
      'redis+socket:///tmp/r.sock?virtual_host=3',
    ],
    [
      'sentinel://:pw@s1:26379/1;sentinel://s2:26380/1?master_name=m',
      'sentinel://:***@s1:26379/1;sentinel://s2:26380/1?master_name=m',
    ],
    [
      'redis+cluster://u:pw@n1:7000,[::1]:7001',
      'redis+cluster://u:***@n1:7000,[::1]:7001',
    ],
    [
      'rediss+cluster://n1?ssl_cert_reqs=required',
      'rediss+cluster://n1:6379?ssl_cert_reqs=required',
    ],
    ['file:///var/results', 'file:///var/results'],
    ['file://rel/dir', 'file://rel/dir'],
    ['couchdb://u:pw@h/db', 'couchdb://u:***@h:5984/db'],
    ['couchdbs://h', 'couchdbs://h:5984/default'],
    ['cache+memcached://a:1;b', 'cache+memcached://a:1;b:11211/'],
    ['cache+memory://', 'cache+memory://'],
    ['disabled://', 'disabled://'],
    [
      's3://K:SECRET@b/base/?endpoint_url=http://x:y@minio:9000&region=r',
      's3://b/base/?endpoint_url=http://***@minio:9000&region=r',
    ],
  ])('describes %s as %s (masked, URL-like)', (url, expected) => {
    expect(describeUrl(url)).toBe(expected);
  });

  it.each<[string, Parameters<typeof parseBackendUrl>[1], string]>([
    [
      'sentinel://s1:26379',
      {
        redis: {
          masterName: 'm',
          password: 'redispw',
          sentinelPassword: 'sentpw',
        },
      },
      'sentinel://:***@s1:26379/0?master_name=m',
    ],
    [
      's3',
      {
        s3: { bucket: 'b', accessKeyId: 'AKID', secretAccessKey: 'SECRETKEY' },
      },
      's3://b/',
    ],
  ])(
    'never shows credentials coming from settings (%s)',
    (url, settings, expected) => {
      expect(describeUrl(url, settings)).toBe(expected);
    },
  );
});
