import {
  parseCeleryVersion,
  timeZoneOffsetMinutes,
  type CeleryVersion,
} from '../protocol/celery-version.js';
import { settingError } from './config.errors.js';
import {
  checkBoolean,
  checkNumber,
  parseBoolean,
  parseNumber,
  type NumberRule,
} from './setting-values.parser.js';

/** How one kind of value is checked (explicit option) and parsed (looked-up text). @internal */
export interface ValueKind<T> {
  check(value: unknown, setting: string): T;
  parse(text: string, setting: string): T;
}

/** Takes an option value, the option's name, the setting's name and the kind. @internal */
export type Picker = <T>(
  explicit: unknown,
  option: string,
  setting: string,
  kind: ValueKind<T>,
) => T | undefined;

/** Text, kept as given. @internal */
export const STRING: ValueKind<string> = {
  check(value, setting) {
    if (typeof value !== 'string')
      throw settingError(setting, 'must be a string', 'celery');
    return value;
  },
  parse: (text) => text,
};

/** `true|false|1|0|yes|no|on|off`. @internal */
export const BOOLEAN: ValueKind<boolean> = {
  check: checkBoolean,
  parse: parseBoolean,
};

/** `'5.5'` (Celery 5.5+ separator rule) or `'5.3'` (always `_`). @internal */
export const KEY_PREFIX_STYLE: ValueKind<'5.5' | '5.3'> = {
  check(value, setting) {
    if (value === '5.5' || value === '5.3') return value;
    throw settingError(
      setting,
      'must be "5.5" (Celery 5.5+ separator rule) or "5.3" (always "_")',
      '5.5',
    );
  },
  parse: (text, setting) => KEY_PREFIX_STYLE.check(text, setting),
};

/** `5.2` … `5.6`, or a full version such as `5.5.2`. @internal */
export const CELERY_VERSION: ValueKind<CeleryVersion> = {
  check(value, setting) {
    try {
      return parseCeleryVersion(String(value));
    } catch (err) {
      throw settingError(setting, (err as Error).message, '5.6');
    }
  },
  parse: (text, setting) => CELERY_VERSION.check(text, setting),
};

/** An IANA time zone name Node knows (`UTC`, `Europe/Paris`). @internal */
export const TIME_ZONE: ValueKind<string> = {
  check(value, setting) {
    try {
      if (typeof value !== 'string' || value === '') throw new RangeError();
      timeZoneOffsetMinutes(new Date(), value);
      return value;
    } catch {
      throw settingError(setting, 'must be an IANA time zone name', 'UTC');
    }
  },
  parse: (text, setting) => TIME_ZONE.check(text, setting),
};

/** A number within a rule. @internal */
export function numberKind(rule: NumberRule): ValueKind<number> {
  return {
    check: (value, setting) => checkNumber(value, setting, rule),
    parse: (text, setting) => parseNumber(text, setting, rule),
  };
}

/** The numeric rules of every setting. @internal */
export const RULES = {
  expires: { min: 0, example: '86400' },
  resultCacheMax: { integer: true, min: -1, example: '1000' },
  pollIntervalMs: { integer: true, min: 1, example: '500' },
  maxPayloadBytes: { integer: true, min: 1, example: '536870912' },
  seconds: { min: 0, exclusive: true, example: '120' },
  concurrency: { integer: true, min: 1, example: '16' },
  listThreshold: { integer: true, min: 0, example: '64' },
  milliseconds: { integer: true, min: 1, example: '3000' },
} satisfies Record<string, NumberRule>;

/**
 * A picker over a setting lookup: the explicit option (checked, errors name the option) wins,
 * else the looked-up setting (parsed, errors name the setting), else `undefined`.
 * @internal
 */
export function makePicker(get: (name: string) => string | undefined): Picker {
  return <T>(
    explicit: unknown,
    option: string,
    setting: string,
    kind: ValueKind<T>,
  ) => {
    if (explicit !== undefined) return kind.check(explicit, option);
    const text = get(setting);
    return text === undefined ? undefined : kind.parse(text, setting);
  };
}
