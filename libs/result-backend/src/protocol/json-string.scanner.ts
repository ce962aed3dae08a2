/**
 * JSON string literals for the Celery JSON parser: the fast path (no escape) slices the text,
 * escapes are decoded as `JSON.parse` does. Pure, no I/O.
 */

/** Reports a syntax error at a position; never returns. @internal */
export type JsonFail = (pos: number, message: string) => never;

/**
 * The string literal whose opening quote is at `quote`: its value, and the position after its
 * closing quote. Bad control characters, escapes and an unterminated string go to `fail`.
 * @internal
 */
export function scanJsonString(
  text: string,
  quote: number,
  fail: JsonFail,
): { value: string; end: number } {
  const start = quote + 1;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return { value: text.slice(start, i), end: i + 1 };
    if (c === 0x5c) return escapedString(text, start, i, fail);
    if (c < 0x20) fail(i, 'Bad control character in string literal');
  }
  return fail(text.length, 'Unterminated string');
}

/** Single-character escapes and what they stand for. */
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function escapedString(
  text: string,
  start: number,
  firstEscape: number,
  fail: JsonFail,
): { value: string; end: number } {
  let out = text.slice(start, firstEscape);
  let i = firstEscape;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return { value: out, end: i + 1 };
    if (c < 0x20) fail(i, 'Bad control character in string literal');
    if (c !== 0x5c) {
      out += text[i++];
      continue;
    }
    const e = text[i + 1];
    if (e === 'u') {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(i, 'Bad Unicode escape');
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      const decoded = Object.hasOwn(ESCAPES, e) ? ESCAPES[e] : undefined;
      if (decoded === undefined) fail(i, 'Bad escaped character');
      out += decoded;
    }
    i += 2;
  }
  return fail(text.length, 'Unterminated string');
}
