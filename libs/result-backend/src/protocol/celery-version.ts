/**
 * The Celery version a writer targets, and what it changes on the wire (measured with Celery
 * 5.2.6, 5.5.2 and 5.6.3; see `protocol/README.md`). Pure, no I/O.
 */
import { isoFormatUtc } from './python-iso.encoder.js';

/**
 * Celery versions whose write forms differ (`major.minor`):
 * - `5.2`: kombu 5.2 plain forms (`Date` as `"…Z"`, bytes refused), naive UTC `date_done`;
 * - `5.3`: kombu ≥ 5.3 envelopes, naive UTC `date_done`;
 * - `5.4`: envelopes, `date_done` with `+00:00`;
 * - `5.5`, `5.6`: envelopes, `date_done` in the offset of the Celery `timezone` setting.
 * @publicApi
 */
export type CeleryVersion = '5.2' | '5.3' | '5.4' | '5.5' | '5.6';

/** Every {@link CeleryVersion}, oldest first. @publicApi */
export const CELERY_VERSIONS: readonly CeleryVersion[] = [
  '5.2',
  '5.3',
  '5.4',
  '5.5',
  '5.6',
];

/** The default target: the newest Celery. @publicApi */
export const DEFAULT_CELERY_VERSION: CeleryVersion = '5.6';

/**
 * `"5.5"`, `"5.5.2"` or `"v5.6.3"` as a {@link CeleryVersion}; later 5.x minors map to `5.6`
 * (the newest forms known). Throws a `TypeError` for anything else.
 * @publicApi
 */
export function parseCeleryVersion(text: string): CeleryVersion {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?\S*$/.exec(String(text).trim());
  const major = Number(m?.[1]);
  const minor = Number(m?.[2]);
  if (!m || major !== 5 || minor < 2) {
    throw new TypeError(
      `Unsupported Celery version ${JSON.stringify(text)}: use one of ${CELERY_VERSIONS.join(', ')}`,
    );
  }
  return minor >= 6 ? '5.6' : (`5.${minor}` as CeleryVersion);
}

/** True when the target's kombu (≥ 5.3) writes `{"__type__", "__value__"}` envelopes. @publicApi */
export function writesEnvelopes(version: CeleryVersion): boolean {
  return version !== '5.2';
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Minutes east of UTC of IANA zone `timeZone` at `date` (`Asia/Kolkata` → 330). Throws a
 * `RangeError` for an unknown zone.
 * @publicApi
 */
export function timeZoneOffsetMinutes(date: Date, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      timeZoneName: 'longOffset',
    });
    offsetFormats.set(timeZone, format);
  }
  const name =
    format.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ??
    'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * `date_done` as the target Celery writes it: naive UTC (≤ 5.3), `+00:00` (5.4), or
 * `app.now().isoformat()` in `timeZone` (5.5+, default `UTC`), e.g.
 * `2026-11-30T19:52:26.214000+05:30`. Throws a `TypeError` for an invalid date.
 * @publicApi
 */
export function formatDateDoneFor(
  date: Date,
  version: CeleryVersion,
  timeZone = 'UTC',
): string {
  if (version === '5.2' || version === '5.3') return isoFormatUtc(date);
  if (version === '5.4') return `${isoFormatUtc(date)}+00:00`;
  const offset = timeZoneOffsetMinutes(date, timeZone);
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${isoFormatUtc(date, offset)}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}
