/**
 * Numbers written the way Python's `json.dumps` writes them. Pure helpers.
 */

/**
 * Python's `repr(float)` of a finite number: shortest round-trip digits (the same digits JS
 * picks), always with a `.0` or an exponent; exponent form when the decimal exponent is
 * below -4 or at least 16, with a sign and at least two digits (`1e-07`, `1.5e+16`).
 * @internal
 */
export function pythonFloatRepr(n: number): string {
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-4 && abs < 1e16) {
    // Both languages print positional digits here; only Python insists on a `.0`.
    const text = String(n);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, expText] = n.toExponential().split('e') as [string, string];
  const exponent = Number(expText);
  const sign = n < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exponent);
    return `${sign}${m}e${exponent < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  return `${sign}${intPart}.${digits.slice(exponent + 1) || '0'}`;
}

/**
 * A JS number as Python's JSON writer prints it: safe integers as integers, other finite
 * numbers as Python floats, non-finite ones as the bare tokens `NaN`, `Infinity`,
 * `-Infinity`. `-0` is the float `-0.0`.
 * @internal
 */
export function formatPythonNumber(n: number): string {
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) return String(n);
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return pythonFloatRepr(n);
}
