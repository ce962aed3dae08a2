/**
 * Python string literals as `json.dumps` writes them with `ensure_ascii=True`. Pure, no I/O.
 */

/** Characters Python escapes with `ensure_ascii`: everything outside printable ASCII, `"`, `\`. */
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
const ESCAPE_ALL = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function escapeChar(c: string): string {
  return (
    SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  );
}

/**
 * A string as Python writes it with `ensure_ascii=True` (lowercase `\uXXXX`, `/` kept). Text
 * without a character to escape (most keys and values) is only tested, never rewritten.
 * @internal
 */
export function quotePythonString(s: string): string {
  return NEEDS_ESCAPE.test(s)
    ? `"${s.replace(ESCAPE_ALL, escapeChar)}"`
    : `"${s}"`;
}
