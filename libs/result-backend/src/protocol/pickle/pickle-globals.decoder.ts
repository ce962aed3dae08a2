/**
 * The allow-list of Python globals the pickle reader rebuilds as JS values. Every other
 * global becomes an inert `UnknownPythonObject`; nothing is ever imported or called.
 */
import { isCodeCall, isExceptionClass } from './pickle-safety.guard.js';
import {
  int,
  makeBytes,
  makeDate,
  makeDateTime,
  makeTime,
} from './pickle-datetime.decoder.js';
import { PickleFormatError } from './pickle-input.decoder.js';
import { CELERY_RESULT_BUILDERS } from './celery-result-values.js';
import {
  PyDecimal,
  PyException,
  PyTimedelta,
  PyTimezone,
  PyUuid,
  UnknownPythonObject,
} from './python-values.js';

/** Python 2 names that `pickle` maps on load (`_compat_pickle.IMPORT_MAPPING`, the ones met here). */
const PY2_MODULES: Readonly<Record<string, string>> = {
  __builtin__: 'builtins',
  copy_reg: 'copyreg',
  exceptions: 'builtins',
};

/**
 * A `GLOBAL`/`STACK_GLOBAL` reference: an `UnknownPythonObject` with no arguments, Python 2
 * module names mapped as `pickle` does.
 * @internal
 */
export function globalRef(module: string, name: string): UnknownPythonObject {
  return new UnknownPythonObject(
    Object.hasOwn(PY2_MODULES, module) ? PY2_MODULES[module] : module,
    name,
    null,
  );
}

function isGlobalRef(value: unknown): value is UnknownPythonObject {
  return value instanceof UnknownPythonObject && value.args === null;
}

type Builder = (args: readonly unknown[]) => unknown;

const BUILDERS: Readonly<Record<string, Builder>> = {
  'datetime.datetime': makeDateTime,
  'datetime.date': makeDate,
  'datetime.time': makeTime,
  'datetime.timedelta': (a) =>
    new PyTimedelta(
      int(a[0] ?? 0, 'days'),
      int(a[1] ?? 0, 'seconds'),
      int(a[2] ?? 0, 'us'),
    ),
  'datetime.timezone': (a) =>
    a[0] instanceof PyTimedelta
      ? new PyTimezone(a[0], typeof a[1] === 'string' ? a[1] : null)
      : undefined,
  'decimal.Decimal': (a) =>
    typeof a[0] === 'string' ? new PyDecimal(a[0]) : undefined,
  'uuid.UUID': (a) =>
    a.length === 0
      ? (Object.create(PyUuid.prototype) as PyUuid)
      : typeof a[0] === 'string'
        ? new PyUuid(a[0])
        : undefined,
  'builtins.set': (a) =>
    new Set(Array.isArray(a[0]) ? (a[0] as unknown[]) : []),
  'builtins.frozenset': (a) =>
    new Set(Array.isArray(a[0]) ? (a[0] as unknown[]) : []),
  'builtins.bytearray': makeBytes,
  'builtins.bytes': makeBytes,
  '_codecs.encode': makeBytes,
  ...CELERY_RESULT_BUILDERS,
  'celery.utils.serialization.UnpickleableExceptionWrapper': (a) =>
    typeof a[0] === 'string' && typeof a[1] === 'string' && Array.isArray(a[2])
      ? new PyException(a[0], a[1], a[2] as unknown[])
      : undefined,
};

/**
 * What calling `ref(*args, **kwargs)` would give, as inert data: an allow-listed value, an
 * exception record, or an `UnknownPythonObject`. `copyreg._reconstructor(cls, object, None)`
 * (protocols 0–1 of `object.__reduce_ex__`) is treated as creating `cls` with no arguments.
 * @internal
 */
export function callGlobal(
  callable: unknown,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>> | null = null,
): unknown {
  if (!isGlobalRef(callable))
    throw new PickleFormatError('call of something that is not a global');
  const { module, name } = callable;
  if (isCodeCall(module, name))
    throw new PickleFormatError(
      `refusing a pickle that calls ${module}.${name} (code, not data)`,
    );
  if (module === 'copyreg' && name === '_reconstructor' && isGlobalRef(args[0]))
    return callGlobal(args[0], []);
  if (isExceptionClass(module, name))
    return new PyException(module, name, args);
  const qualified = `${module}.${name}`;
  const value =
    Object.hasOwn(BUILDERS, qualified) && !kwargs
      ? BUILDERS[qualified](args)
      : undefined;
  return value === undefined
    ? new UnknownPythonObject(module, name, args, kwargs)
    : value;
}

/**
 * `BUILD`: set the state of an object made by a call. Returns the object that replaces it
 * on the stack.
 * @internal
 */
export function buildObject(target: unknown, state: unknown): unknown {
  if (target instanceof PyUuid && !Object.hasOwn(target, 'hex')) {
    // Made by NEWOBJ and maybe already memoized: complete this very instance.
    const n = (state as { int?: unknown } | null)?.int;
    if (
      (typeof n !== 'bigint' && typeof n !== 'number') ||
      n < 0 ||
      BigInt(n) >> 128n
    )
      throw new PickleFormatError('bad uuid.UUID state');
    Object.defineProperty(target, 'hex', {
      value: new PyUuid(BigInt(n)).hex,
      enumerable: true,
    });
    return target;
  }
  if (target instanceof PyException || target instanceof UnknownPythonObject) {
    target.state = state;
    return target;
  }
  throw new PickleFormatError('BUILD on a value that takes no state');
}
