/**
 * Python dicts as plain JS objects: keys become text the way `json.dumps` writes them.
 */
import { PickleFormatError, latin1 } from './pickle-input.decoder.js';
import { PyDecimal, PyUuid, UnknownPythonObject } from './python-values.js';

/**
 * The text key for a Python dict key: `str` as is, `int` digits, `float` as JS prints it,
 * `True`/`False`/`None` as `true`/`false`/`null` (as `json.dumps`); a tuple as
 * `(a, b)`, other objects by their text or qualified name. Lossy only for keys JSON cannot
 * hold either.
 * @internal
 */
export function pyDictKey(key: unknown): string {
  switch (typeof key) {
    case 'string':
      return key;
    case 'number':
    case 'bigint':
      return String(key);
    case 'boolean':
      return key ? 'true' : 'false';
    default:
      if (key === null) return 'null';
      if (Array.isArray(key))
        return `(${key.map(pyDictKey).join(', ')}${key.length === 1 ? ',' : ''})`;
      if (key instanceof PyDecimal || key instanceof PyUuid)
        return key.toString();
      if (key instanceof UnknownPythonObject) return key.qualifiedName;
      if (key instanceof Uint8Array) return latin1(key);
      return Object.prototype.toString.call(key);
  }
}

/** `target[key] = value` on a dict built by the reader (`__proto__` is an own key). @internal */
export function setDictItem(
  target: unknown,
  key: string,
  value: unknown,
): void {
  if (
    typeof target !== 'object' ||
    target === null ||
    Array.isArray(target) ||
    Object.getPrototypeOf(target) !== Object.prototype
  )
    throw new PickleFormatError('SETITEM on a value that is not a dict');
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}
