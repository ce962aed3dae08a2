import { ImproperlyConfiguredError } from '../errors/improperly-configured.error.js';
import { describeBackend } from '../stores/backend.describer.js';
import { maskUrl } from './mask-url.util.js';
import { parseBackendUrl } from '../stores/backend-url.parser.js';

/** Passwords chosen to break naive maskers; none is a substring of the URL scaffolding. */
const PASSWORDS = [
  'p@ss:w/rd%40',
  'hunter2hunter2',
  'pässwörd✓密码',
  'a;b;sentinel://x',
  'q?uery#frag',
  '@@@@',
  '::::x',
  '  spaced  ',
  '%41%42%zz',
  '"quoted\'',
];

const enc = encodeURIComponent;

/** Written unencoded only when it cannot be read as the start of another URL. */
const raw = (pw: string): string | undefined =>
  pw.includes('://') ? undefined : pw;

describe('maskUrl', () => {
  it.each([
    ['redis://:s3cret@localhost:6379/0', 'redis://:***@localhost:6379/0'],
    ['redis://user:s3cret@h/0', 'redis://user:***@h/0'],
  ])(
    'masks %p like kombu as_uri(include_password=False), with ***',
    (url, masked) => {
      expect(maskUrl(url)).toBe(masked);
    },
  );

  it.each([
    'redis://user@h/0',
    'redis://h:6379/0',
    'redis://:@h/0',
    'file:///var/a@b',
    'disabled',
    '',
  ])('leaves %p, which has no password, as it is', (url) => {
    expect(maskUrl(url)).toBe(url);
  });

  it('masks every part of ;-joined URLs and nested URLs in the query', () => {
    expect(
      maskUrl('sentinel://:pw1@s1:26379/2;sentinel://u:pw2@s2:26380/2'),
    ).toBe('sentinel://:***@s1:26379/2;sentinel://u:***@s2:26380/2');
    expect(
      maskUrl('s3://KEY:SECRET@b/p?endpoint_url=http://u:pw@minio:9000'),
    ).toBe('s3://KEY:***@b/p?endpoint_url=http://u:***@minio:9000');
  });

  it('masks secret-looking query parameters, and only those', () => {
    expect(
      maskUrl(
        'redis://h/0?password=a&sentinel_password=b&secret=c&token=d&api_key=e&access_key_id=f&ssl_keyfile=/k.pem&db=1',
      ),
    ).toBe(
      'redis://h/0?password=***&sentinel_password=***&secret=***&token=***&api_key=***&access_key_id=***&ssl_keyfile=/k.pem&db=1',
    );
    expect(
      maskUrl('sentinel://s1/0?Password=x;sentinel://s2/0?master_name=m'),
    ).toBe('sentinel://s1/0?Password=***;sentinel://s2/0?master_name=m');
  });

  it('never shows a tricky password, encoded or not, for any URL form (property loop)', () => {
    for (const pw of PASSWORDS) {
      const forms = [
        `redis://:${enc(pw)}@h:6379/0`,
        `redis://user:${enc(pw)}@h:6379/0`,
        ...(raw(pw) ? [`redis://:${pw}@h:6379/0`] : []),
        `rediss://u:${enc(pw)}@h/0?ssl_cert_reqs=none`,
        `sentinel://:${enc(pw)}@s1:26379/0;sentinel://:${enc(pw)}@s2:26379/0`,
        `redis+cluster://u:${enc(pw)}@n1:7000,n2:7001`,
        `couchdb://admin:${enc(pw)}@h:5984/db`,
        `s3://AKID:${enc(pw)}@bucket/base/`,
        `redis://h/0?password=${enc(pw)}`,
      ];
      for (const url of forms) {
        const masked = maskUrl(url);
        expect(masked).not.toContain(pw);
        expect(masked).not.toContain(enc(pw));
        expect(masked).toContain('***');
      }
    }
  });

  it('round-trips encoded passwords through the parser and describes them masked', () => {
    for (const pw of PASSWORDS) {
      for (const url of [
        `redis://u:${enc(pw)}@h:6379/0`,
        `sentinel://u:${enc(pw)}@s1:26379/0?master_name=m`,
        `redis+cluster://u:${enc(pw)}@n1:7000`,
        `couchdb://u:${enc(pw)}@h/db`,
      ]) {
        const config = parseBackendUrl(url);
        expect(config).toHaveProperty('password', pw);
        const described = describeBackend(config);
        expect(described).not.toContain(pw);
        expect(described).not.toContain(enc(pw));
      }
    }
  });

  it('keeps tricky passwords out of every parse error', () => {
    for (const pw of PASSWORDS) {
      for (const url of [
        `redis://:${enc(pw)}@h:bad/0`,
        ...(raw(pw) ? [`redis://:${pw}@h/notadb`] : []),
        `rediss://:${enc(pw)}@h/0`,
        `sentinel://:${enc(pw)}@s1/0`,
        `redis+cluster://:${enc(pw)}@n1/5`,
        `couchdb://u:${enc(pw)}@h/Bad!`,
        `s3://K:${enc(pw)}@b/?nope=1`,
        `mongodb://u:${enc(pw)}@h/db`,
      ]) {
        let err: unknown;
        try {
          parseBackendUrl(url);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ImproperlyConfiguredError);
        const message = (err as Error).message;
        if (pw.trim().length >= 4) expect(message).not.toContain(pw);
        expect(message).not.toContain(enc(pw));
      }
    }
  });
});
