/**
 * Python pickle codec for SQL result columns: a reader that never executes anything and a
 * small protocol-4 writer. Pure code, no I/O.
 */
export * from './python-values.js';
export { PyAsyncResult, PyGroupResult } from './celery-result-values.js';
export {
  loadsPickle,
  readPickledJson,
  type LoadsPickleOptions,
  type ReadPickledJsonOptions,
} from './pickle-loads.js';
export { dumpsPickle } from './pickle-writer.js';
export {
  PYTHON_OBJECT_KEY,
  pythonToCeleryJson,
  type PythonToCeleryJsonOptions,
} from './pickle-json.encoder.js';
export { celeryJsonToPython } from './pickle-json.decoder.js';
