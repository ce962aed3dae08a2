import {
  BadPortError,
  parseHostPort,
  parseQuery,
  splitUrl,
  splitUserinfo,
  unquote,
  urlToParts,
} from './url-parts.parser.js';

// Expected values were produced by kombu 5.2.4's url_to_parts on /usr/bin/python3.
describe('url-parts (kombu url_to_parts port)', () => {
  it.each([
    ['p%40ss%3Aw%2Frd%2540', 'p@ss:w/rd%40'],
    ['p%C3%A4ss', 'päss'],
    ['%zz%4', '%zz%4'],
    ['✓%20x', '✓ x'],
    ['%ff', '\ufffd'],
  ])(
    'unquotes %p like Python: UTF-8 runs, invalid escapes kept',
    (text, plain) => {
      expect(unquote(text)).toBe(plain);
    },
  );

  it('parses queries like parse_qsl: blanks dropped, last wins, + is a space', () => {
    expect(parseQuery('a=1&b=&c&a=2&d=x+y%20z')).toEqual({
      a: '2',
      d: 'x y z',
    });
    expect(parseQuery('')).toEqual({});
    expect(parseQuery('x=%zz')).toEqual({ x: '%zz' });
  });

  it('splits scheme, netloc, path and query; drops the fragment and tabs/newlines', () => {
    expect(splitUrl('Redis://u:p@h:1//2?x=1#frag')).toEqual({
      scheme: 'redis',
      netloc: 'u:p@h:1',
      path: '//2',
      query: 'x=1',
    });
    expect(splitUrl('redis://h\n:6379')).toEqual({
      scheme: 'redis',
      netloc: 'h:6379',
      path: '',
      query: '',
    });
    expect(splitUrl('no-scheme')).toBeUndefined();
    expect(splitUrl('://x')).toBeUndefined();
  });

  it('splits userinfo at the last @ and the first :', () => {
    expect(splitUserinfo(':p@ss@h')).toEqual({
      username: undefined,
      password: 'p@ss',
      hostinfo: 'h',
    });
    expect(splitUserinfo('u:a:b@h')).toEqual({
      username: 'u',
      password: 'a:b',
      hostinfo: 'h',
    });
    expect(splitUserinfo('u@h')).toEqual({
      username: 'u',
      password: undefined,
      hostinfo: 'h',
    });
    expect(splitUserinfo('h:1')).toEqual({ hostinfo: 'h:1' });
  });

  it('parses host and port, IPv6 literals and bad ports', () => {
    expect(parseHostPort('H.Example.COM:6380')).toEqual({
      host: 'h.example.com',
      port: 6380,
    });
    expect(parseHostPort('[::1]:6380')).toEqual({ host: '::1', port: 6380 });
    expect(parseHostPort('[::1]')).toEqual({ host: '::1', port: undefined });
    expect(parseHostPort('')).toEqual({ host: undefined, port: undefined });
    for (const bad of ['h:abc', 'h:0', 'h:65536', 'h:-1', '[::1', '[::1]x']) {
      expect(() => parseHostPort(bad)).toThrow(BadPortError);
    }
  });

  it('matches url_to_parts on representative URLs', () => {
    expect(urlToParts('redis://%E2%9C%93:p%C3%A4ss@h/0')).toEqual({
      scheme: 'redis',
      hostname: 'h',
      port: undefined,
      username: '✓',
      password: 'päss',
      path: '0',
      query: {},
    });
    expect(urlToParts('redis://h:6380//1')?.path).toBe('/1');
    expect(urlToParts('redis://h/%31')?.path).toBe('1');
    expect(urlToParts('redis://')).toEqual({
      scheme: 'redis',
      hostname: undefined,
      port: undefined,
      username: undefined,
      password: undefined,
      path: undefined,
      query: {},
    });
    expect(urlToParts('redis://h%zz/0?x=%zz')).toMatchObject({
      hostname: 'h%zz',
      query: { x: '%zz' },
    });
  });
});
