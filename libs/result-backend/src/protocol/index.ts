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
export * from './py-values.js';
export * from './celery-version.js';
export * from './pickle/index.js';
