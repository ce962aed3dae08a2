/**
 * A small, exact port of the URL splitting that kombu's `url_to_parts` does through Python's
 * `urllib.parse` (the part after `scheme://` is parsed with http semantics). Hand-written rather
 * than WHATWG `URL`, which normalises hosts, treats `\` as `/` and rejects things Python accepts.
 * Nothing here throws except {@link parsePort}; callers turn failures into config errors.
 */

/** The raw pieces of `scheme://netloc/path?query#fragment`. @internal */
export interface SplitUrl {
  /** Text before `://`, lower-cased. */
  readonly scheme: string;
  /** Authority: `[userinfo@]host[:port]` (may hold several hosts for cluster forms). */
  readonly netloc: string;
  /** Path including its leading `/` (empty when absent). */
  readonly path: string;
  /** Raw query text without `?`. */
  readonly query: string;
}

/** Parts of a URL as kombu's `url_to_parts` returns them (decoded; `undefined` = absent). @internal */
export interface UrlParts {
  readonly scheme: string;
  /** Lower-cased, percent-decoded host; brackets of IPv6 literals removed. */
  readonly hostname?: string;
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
  /** Path with one leading `/` removed, percent-decoded. */
  readonly path?: string;
  /** `parse_qsl` result: blank values dropped, last duplicate wins. */
  readonly query: Record<string, string>;
}

/** Why {@link parsePort} refused a port. @internal */
export class BadPortError extends Error {}

/**
 * Python's `unquote` (UTF-8, errors replaced): valid `%XX` runs become bytes, invalid escapes
 * stay as they are.
 * @internal
 */
export function unquote(text: string): string {
  if (!text.includes('%')) return text;
  const chunks: Buffer[] = [];
  let run = '';
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      chunks.push(Buffer.from(run, 'utf8'), Buffer.from([parseInt(hex, 16)]));
      run = '';
      i += 2;
    } else {
      run += text[i];
    }
  }
  chunks.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Python's `parse_qsl(query)`: `&`-separated, `+` is a space, pairs without `=` or with an
 * empty value are dropped, the last duplicate wins.
 * @internal
 */
export function parseQuery(query: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const value = unquote(pair.slice(eq + 1).replace(/\+/g, ' '));
    if (value === '') continue;
    out[unquote(pair.slice(0, eq).replace(/\+/g, ' '))] = value;
  }
  return out;
}

/**
 * Split `scheme://rest` like `urlsplit('http://' + rest)`. Tabs and newlines are removed
 * first, as Python does. Returns `undefined` when there is no `scheme://`.
 * @internal
 */
export function splitUrl(url: string): SplitUrl | undefined {
  const clean = url.replace(/[\t\r\n]/g, '');
  const sep = clean.indexOf('://');
  if (sep <= 0) return undefined;
  const scheme = clean.slice(0, sep).toLowerCase();
  let rest = clean.slice(sep + 3);
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const end = rest.search(/[/?]/);
  const netloc = end < 0 ? rest : rest.slice(0, end);
  const after = end < 0 ? '' : rest.slice(end);
  const q = after.indexOf('?');
  return {
    scheme,
    netloc,
    path: q < 0 ? after : after.slice(0, q),
    query: q < 0 ? '' : after.slice(q + 1),
  };
}

/**
 * Split `[user[:password]@]hostinfo` at the last `@` and the first `:` of the userinfo, as
 * Python does; user and password are percent-decoded, empty ones are `undefined`.
 * @internal
 */
export function splitUserinfo(netloc: string): {
  readonly username?: string;
  readonly password?: string;
  readonly hostinfo: string;
} {
  const at = netloc.lastIndexOf('@');
  if (at < 0) return { hostinfo: netloc };
  const userinfo = netloc.slice(0, at);
  const colon = userinfo.indexOf(':');
  const user = unquote(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? '' : unquote(userinfo.slice(colon + 1));
  return {
    username: user || undefined,
    password: password || undefined,
    hostinfo: netloc.slice(at + 1),
  };
}

/**
 * Port text to a number: digits only, 1–65535 (Python also takes 0, which Celery then
 * silently replaces by the default; we refuse it). Empty = `undefined`.
 * @throws BadPortError
 * @internal
 */
export function parsePort(text: string): number | undefined {
  if (text === '') return undefined;
  if (!/^\d{1,5}$/.test(text)) throw new BadPortError('not a number');
  const port = Number(text);
  if (port < 1 || port > 65535) throw new BadPortError('out of range');
  return port;
}

/**
 * `host[:port]` or `[v6]:port` to a lower-cased, decoded host (`undefined` when empty) and port.
 * @throws BadPortError
 * @internal
 */
export function parseHostPort(hostinfo: string): {
  readonly host?: string;
  readonly port?: number;
} {
  let host: string;
  let portText: string;
  if (hostinfo.includes('[')) {
    const open = hostinfo.indexOf('[');
    const close = hostinfo.indexOf(']', open);
    if (close < 0) throw new BadPortError('unclosed [');
    host = hostinfo.slice(open + 1, close);
    const tail = hostinfo.slice(close + 1);
    portText = tail.startsWith(':') ? tail.slice(1) : tail;
    if (tail !== '' && !tail.startsWith(':'))
      throw new BadPortError('text after ]');
  } else {
    const colon = hostinfo.indexOf(':');
    host = colon < 0 ? hostinfo : hostinfo.slice(0, colon);
    portText = colon < 0 ? '' : hostinfo.slice(colon + 1);
  }
  const decoded = unquote(host.toLowerCase());
  return { host: decoded || undefined, port: parsePort(portText) };
}

/**
 * kombu's `url_to_parts(url)`.
 * @throws BadPortError when the port is not a number in 1–65535
 * @internal
 */
export function urlToParts(url: string): UrlParts | undefined {
  const split = splitUrl(url);
  if (!split) return undefined;
  const { username, password, hostinfo } = splitUserinfo(split.netloc);
  const { host, port } = parseHostPort(hostinfo);
  const path = unquote(
    split.path.startsWith('/') ? split.path.slice(1) : split.path,
  );
  return {
    scheme: split.scheme,
    hostname: host,
    port,
    username,
    password,
    path: path || undefined,
    query: parseQuery(split.query),
  };
}
