/**
 * Test helpers: an in-memory backend (`cache+memory://`) to provide or override the service
 * with, and a recorder for `watch()` streams.
 *
 * @example
 * import { inMemoryResultBackend, recordTask } from 'nestjs-celery-result-backend/testing';
 * @packageDocumentation
 */
export { inMemoryResultBackend } from './in-memory-result-backend.factory.js';
export { recordTask } from './task.recorder.js';
export type { TaskRecorder } from './task.recorder.js';
