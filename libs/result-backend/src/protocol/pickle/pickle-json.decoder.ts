/**
 * From Celery JSON back to Python values for pickling: every kombu ≥ 5.3 envelope becomes the
 * codec's typed value (the inverse of `pickle-json.encoder.ts`).
 */
import { decodeKombuEnvelopes } from '../kombu-envelope.decoder.js';

/**
 * The inverse of {@link pythonToCeleryJson} for values parsed from Celery JSON (envelopes not
 * yet decoded): every kombu envelope becomes the codec's typed value (`decodeKombuEnvelopes`:
 * `PyDateTime`, `PyDate`, `PyTime`, `PyDecimal`, `PyUuid`, bytes as a `Buffer`), so
 * `dumpsPickle` writes a real `datetime`, `Decimal`, `UUID` or `bytes`. Other values are
 * returned as they are (objects are copied only where something changed). An unknown
 * `__type__` or a malformed envelope value throws a `TypeError`, as kombu refuses the whole
 * document.
 * @publicApi
 */
export function celeryJsonToPython(value: unknown): unknown {
  return decodeKombuEnvelopes(value);
}
