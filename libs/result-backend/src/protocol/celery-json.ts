/**
 * Celery's JSON dialect (Python `json` through kombu): the tolerant reader, the byte-exact
 * writer and the kombu ≥ 5.3 envelope decoder.
 */
export { parseCeleryJson, PY_KEY_ORDER } from './celery-json.parser.js';
export {
  stringifyCeleryJson,
  type CeleryJsonWriteOptions,
} from './celery-json.encoder.js';
export { decodeKombuEnvelopes } from './kombu-envelope.decoder.js';
export { toPlain } from './py-plain.mapper.js';
export { MAX_JSON_DEPTH } from './json-depth.guard.js';
