/** What replaces a secret. */
const MASK = '***';

/** `scheme://` anywhere in the text (so `;`-joined and nested URLs are all covered). */
const SCHEME = /[A-Za-z][A-Za-z0-9+.-]*:\/\//g;

/** `?key=value` / `&key=value` / `;key=value` pairs. */
const QUERY_PAIR = /([?&;])([^=&;?#\s]+)=([^&;#]*)/g;

/** Name parts that mark a query parameter as secret (`sentinel_password`, `access_key_id` …). */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'secret',
  'token',
  'key',
  'apikey',
  'auth',
  'credential',
  'credentials',
  'signature',
  'sig',
]);

function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  if (/password|passwd|secret|token/.test(lower)) return true;
  return lower.split(/[^a-z0-9]+/).some((word) => SECRET_WORDS.has(word));
}

/** Mask `user:PASSWORD@` in the text that follows one `scheme://`. */
function maskUserinfo(segment: string): string {
  const at = segment.lastIndexOf('@');
  const colon = segment.indexOf(':');
  if (at < 0 || colon < 0 || colon > at) return segment;
  if (colon + 1 === at) return segment;
  return `${segment.slice(0, colon + 1)}${MASK}${segment.slice(at)}`;
}

/**
 * The URL with every password replaced by `***`, like kombu's `as_uri(include_password=False)`
 * but for every form this library reads: `;`-joined multi-URLs (each part is masked), empty
 * users (`:pw@`), percent-encoded passwords, and query parameters whose name says secret
 * (`password`, `secret`, `token`, `key` …). It errs on the side of hiding too much: in each
 * URL, everything between the first `:` after `scheme://` and the last `@` is hidden, so a
 * password holding an unencoded `/`, `?` or `#` is hidden too. Never throws.
 * @example maskUrl('redis://:s3cr3t@localhost:6379/0') // 'redis://:***@localhost:6379/0'
 * @publicApi
 */
export function maskUrl(url: string): string {
  if (typeof url !== 'string') return '';
  const starts: { index: number; end: number }[] = [];
  for (const match of url.matchAll(SCHEME)) {
    starts.push({ index: match.index, end: match.index + match[0].length });
  }
  let out = starts.length ? url.slice(0, starts[0].index) : url;
  starts.forEach((start, i) => {
    const next = i + 1 < starts.length ? starts[i + 1].index : url.length;
    out +=
      url.slice(start.index, start.end) +
      maskUserinfo(url.slice(start.end, next));
  });
  return out.replace(QUERY_PAIR, (whole, sep: string, name: string) =>
    isSecretName(name) ? `${sep}${name}=${MASK}` : whole,
  );
}
