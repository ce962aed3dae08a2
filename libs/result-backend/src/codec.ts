/**
 * The Celery result protocol (`nestjs-celery-result-backend/codec`): pure encoding and decoding of
 * Celery's task, group and chord documents, keys and exceptions, with no I/O.
 * @packageDocumentation
 */
export * from './protocol/index.js';
