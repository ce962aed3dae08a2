import { settingError } from './config.errors.js';

/** Bounds and example for one numeric setting. @internal */
export interface NumberRule {
  readonly integer?: boolean;
  readonly min: number;
  /** Strictly greater than `min` instead of at least. */
  readonly exclusive?: boolean;
  readonly example: string;
}

/**
 * A looked-up value as text: trimmed, `undefined` when absent or blank. `@nestjs/config` may
 * hand back numbers, booleans or objects (validated configs): those are turned into text
 * (objects as JSON) so every source goes through the same checks.
 * @internal
 */
export function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string')
    return value.trim() === '' ? undefined : value.trim();
  if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  )
    return String(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return undefined;
}

function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  return `${kind} ${rule.exclusive ? 'greater than' : 'of at least'} ${rule.min}`;
}

/** Check a number option (explicit or parsed). @internal */
export function checkNumber(
  value: unknown,
  setting: string,
  rule: NumberRule,
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.exclusive ? value > rule.min : value >= rule.min);
  if (!ok)
    throw settingError(setting, `must be ${describeRule(rule)}`, rule.example);
  return value;
}

/** Parse and check a numeric setting given as text. @internal */
export function parseNumber(
  text: string,
  setting: string,
  rule: NumberRule,
): number {
  const n = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)
    ? Number(text)
    : NaN;
  if (Number.isNaN(n))
    throw settingError(
      setting,
      `must be ${describeRule(rule)}, got a non-numeric value`,
      rule.example,
    );
  return checkNumber(n, setting, rule);
}

/** `true|false|1|0|yes|no|on|off` (any case). @internal */
export function parseBoolean(text: string, setting: string): boolean {
  const lower = text.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lower)) return true;
  if (['false', '0', 'no', 'off'].includes(lower)) return false;
  throw settingError(setting, 'must be true or false', 'true');
}

/** Check a boolean option. @internal */
export function checkBoolean(value: unknown, setting: string): boolean {
  if (typeof value !== 'boolean')
    throw settingError(setting, 'must be true or false', 'true');
  return value;
}

/**
 * Parse a JSON object setting. The error never echoes the text (it may hold passwords), so
 * the JSON parser's own message (which quotes the input) is not used either.
 * @internal
 */
export function parseJsonObject(
  text: string,
  setting: string,
  example: string,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw settingError(
      setting,
      'is not valid JSON (the value is not shown: it may hold a password)',
      example,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw settingError(setting, 'must be a JSON object', example);
  }
  return value as Record<string, unknown>;
}

/** Read an optional string member of a parsed JSON object. @internal */
export function stringMember(
  obj: Record<string, unknown>,
  key: string,
  setting: string,
  example: string,
): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw settingError(setting, `"${key}" must be a string`, example);
  return value;
}
