/**
 * Arguments of the protocol-0 text opcodes (`INT`, `LONG`, `FLOAT`, `STRING`, `UNICODE`).
 */
import { PickleFormatError, narrowInt } from './pickle-input.decoder.js';

const INT_TEXT = /^[+-]?\d+$/;

/** `INT`/`LONG` argument: `01`/`00` are True/False (protocol 0 bools), `L` suffix allowed. @internal */
export function parseIntText(text: string, allowBool: boolean): unknown {
  if (allowBool && text === '01') return true;
  if (allowBool && text === '00') return false;
  const digits = text.endsWith('L') ? text.slice(0, -1) : text;
  if (!INT_TEXT.test(digits) || digits.length > 10_000)
    throw new PickleFormatError(
      `bad int text ${JSON.stringify(text.slice(0, 40))}`,
    );
  return narrowInt(BigInt(digits));
}

/** `FLOAT` argument, as Python's `float()` reads `repr` output. @internal */
export function parseFloatText(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'inf' || t === '+inf') return Infinity;
  if (t === '-inf') return -Infinity;
  if (t === 'nan' || t === '-nan' || t === '+nan') return NaN;
  const n = Number(t);
  if (t === '' || Number.isNaN(n))
    throw new PickleFormatError(
      `bad float text ${JSON.stringify(text.slice(0, 40))}`,
    );
  return n;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

/** `STRING` argument: a quoted Python 2 `repr` of a byte string, as Latin-1 text. @internal */
export function parseQuotedString(text: string): string {
  const q = text[0];
  if (text.length < 2 || (q !== "'" && q !== '"') || text.at(-1) !== q)
    throw new PickleFormatError('the STRING opcode argument must be quoted');
  const body = text.slice(1, -1);
  return body.replace(
    /\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|[\s\S])/g,
    (all, e: string) => {
      if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
      if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
      return Object.hasOwn(SIMPLE_ESCAPES, e) ? SIMPLE_ESCAPES[e] : all;
    },
  );
}

/** `UNICODE` argument: `raw-unicode-escape` text (`\uXXXX`, `\UXXXXXXXX`). @internal */
export function parseRawUnicode(text: string): string {
  return text.replace(
    /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
    (_m, u: string, U: string) => {
      const code = parseInt(u ?? U, 16);
      if (code > 0x10ffff) throw new PickleFormatError('bad \\U escape');
      return String.fromCodePoint(code);
    },
  );
}
