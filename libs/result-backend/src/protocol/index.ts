/**
 * The Celery result protocol: pure encoding and decoding, no I/O.
 */
export * from './states.js';
export * from './celery-json.js';
export * from './date-done.js';
export * from './exceptions.js';
export * from './keys.js';
export * from './result-tuple.js';
export * from './group-meta.js';
export * from './chord.js';
export * from './task-meta.js';
export {
  decodeTaskMeta,
  isSuccessDocument,
  pendingMeta,
  type DecodeTaskMetaOptions,
} from './task-meta.decoder.js';
export {
  encodeTaskMeta,
  type EncodeTaskMetaOptions,
} from './task-meta.encoder.js';
export {
  errorToExceptionDict,
  JS_EXCEPTION_MODULE,
  toStoredExceptionResult,
} from './exception-dict.encoder.js';
export {
  parsePyDate,
  parsePyDateTime,
  parsePyDecimal,
  parsePyTime,
  type PyJson,
  type PyTypedValue,
} from './py-values.js';
export * from './celery-version.js';
export * from './pickle/index.js';
