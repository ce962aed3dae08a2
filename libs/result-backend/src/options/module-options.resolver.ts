import { ImproperlyConfiguredError } from '../errors/improperly-configured.error.js';
import type { ResultBackendModuleOptions } from './result-backend-options.interface.js';
import { buildBackendSettings } from './backend-settings.builder.js';
import { parseTransportOptions } from './celery-json-settings.parser.js';
import { noBackendMessage } from '../result-backend.messages.js';
import { BACKENDS } from '../stores/backends.js';
import { describeBackend } from '../stores/backend.describer.js';
import {
  BOOLEAN,
  CELERY_VERSION,
  KEY_PREFIX_STYLE,
  TIME_ZONE,
  makePicker,
  numberKind,
  RULES,
  STRING,
  type Picker,
} from '../config/option-kinds.parser.js';
import { parseBackendUrl } from '../stores/backend-url.parser.js';
import type {
  ResolvedCommonOptions,
  ResolvedResultBackendOptions,
} from './resolved-options.interface.js';
import {
  RESULT_BACKEND_DEFAULTS as D,
  RESULT_BACKEND_SETTINGS as S,
} from '../config/setting-names.constants.js';
import {
  asText,
  checkNumber,
  parseNumber,
} from '../config/setting-values.parser.js';

/** Looks a setting up by Celery name (the module's `settings` option, else `process.env`). @publicApi */
export type SettingReader = (name: string) => string | undefined;

/** `none`, `null`, `0` and a blank value mean "never expire" (Celery's `None` / `0`). */
function resolveExpires(explicit: unknown, raw: unknown): number | null {
  if (explicit === null) return null;
  if (explicit !== undefined)
    return checkNumber(explicit, 'expires', RULES.expires) || null;
  if (raw === undefined || raw === null) return D.expires;
  const text = asText(raw);
  if (!text || /^(none|null)$/i.test(text)) return null;
  return parseNumber(text, S.expires, RULES.expires) || null;
}

function resolveCommon(
  explicit: ResultBackendModuleOptions,
  pick: Picker,
  read: SettingReader,
  globalKeyprefix: string | undefined,
): Omit<ResolvedCommonOptions, 'description'> {
  const e = explicit;
  const celeryVersion =
    pick(e.celeryVersion, 'celeryVersion', S.celeryVersion, CELERY_VERSION) ??
    D.celeryVersion;
  return {
    celeryVersion,
    timezone: pick(e.timezone, 'timezone', S.timezone, TIME_ZONE) ?? D.timezone,
    expires: resolveExpires(e.expires, read(S.expires)),
    keyPrefix:
      pick(e.keyPrefix, 'keyPrefix', S.keyPrefix, STRING) ??
      globalKeyprefix ??
      D.keyPrefix,
    keyPrefixStyle:
      pick(
        e.keyPrefixStyle,
        'keyPrefixStyle',
        S.keyPrefixStyle,
        KEY_PREFIX_STYLE,
      ) ??
      (celeryVersion === '5.3' || celeryVersion === '5.4'
        ? '5.3'
        : D.keyPrefixStyle),
    resultCacheMax:
      pick(
        e.resultCacheMax,
        'resultCacheMax',
        S.resultCacheMax,
        numberKind(RULES.resultCacheMax),
      ) ?? D.resultCacheMax,
    pollIntervalMs:
      pick(
        e.pollIntervalMs,
        'pollIntervalMs',
        S.pollIntervalMs,
        numberKind(RULES.pollIntervalMs),
      ) ?? D.pollIntervalMs,
    maxPayloadBytes:
      pick(
        e.maxPayloadBytes,
        'maxPayloadBytes',
        S.maxPayloadBytes,
        numberKind(RULES.maxPayloadBytes),
      ) ?? D.maxPayloadBytes,
    decodeKombuEnvelopes:
      pick(
        e.decodeKombuEnvelopes,
        'decodeKombuEnvelopes',
        S.decodeKombuEnvelopes,
        BOOLEAN,
      ) ?? D.decodeKombuEnvelopes,
  };
}

/**
 * Resolve the module options: every value comes from `explicit` when given there, else from
 * `read` (Celery-like names such as `CELERY_RESULT_BACKEND`, `CELERY_RESULT_EXPIRES`; see
 * {@link RESULT_BACKEND_SETTINGS} and docs/configuration.md), else from the defaults. Every
 * value is checked; the URL is parsed with {@link parseBackendUrl}. `explicit.store` wins over
 * any URL.
 * @throws ImproperlyConfiguredError naming the setting, with an example, never a password
 * @example resolveModuleOptions({}, (name) => config.get<string>(name) ?? process.env[name])
 * @publicApi
 */
export function resolveModuleOptions(
  explicit: ResultBackendModuleOptions = {},
  read: SettingReader = () => undefined,
): ResolvedResultBackendOptions {
  const get = (name: string): string | undefined => asText(read(name));
  const pick = makePicker(get);
  const transport = parseTransportOptions(get(S.transportOptions));
  const common = resolveCommon(explicit, pick, read, transport.globalKeyprefix);
  if (explicit.store) {
    return {
      ...common,
      store: explicit.store,
      description: explicit.store.description,
    };
  }
  const url = asText(explicit.url) ?? get(S.url);
  if (!url) {
    throw new ImproperlyConfiguredError(
      S.url,
      noBackendMessage(),
      BACKENDS[0].example,
    );
  }
  const backend = parseBackendUrl(
    url,
    buildBackendSettings(explicit, get, pick, transport),
  );
  return { ...common, backend, description: describeBackend(backend) };
}
