/**
 * Which Python globals are exceptions (read as data) and which calls can only be code
 * (refused): the reader's safety rules.
 */
import { PYTHON_BUILTIN_EXCEPTIONS } from '../python-builtins.constants.js';

const PROCESS_EXCEPTIONS = new Set([
  'BaseException',
  'SystemExit',
  'KeyboardInterrupt',
  'GeneratorExit',
  'BaseExceptionGroup',
  'StopIteration',
  'StopAsyncIteration',
]);

/** Modules whose callables run code, touch the OS or reach other objects: calling any of them is refused. */
const CODE_MODULES = new Set([
  'os',
  'posix',
  'nt',
  'subprocess',
  'sys',
  'importlib',
  'pickle',
  '_pickle',
  'marshal',
  'shutil',
  'socket',
  'runpy',
  'code',
  'codeop',
  'ctypes',
  'pty',
  'commands',
  'webbrowser',
  'types',
  'functools',
  'operator',
  'io',
  '_io',
  'pathlib',
  'tempfile',
  'signal',
  'threading',
  'multiprocessing',
  'asyncio',
  'platform',
  'inspect',
  'pdb',
  'timeit',
  'cProfile',
  'profile',
  'urllib',
  'http',
  'ftplib',
  'smtplib',
  'telnetlib',
  'sqlite3',
  'zipimport',
  'pkgutil',
]);

/**
 * True for a call that can only be an attack (a function that runs code, a builtin like
 * `eval`, `getattr` or `__import__`): no result a task returns pickles as such a call.
 * @internal
 */
export function isCodeCall(module: string, name: string): boolean {
  const root = module.split('.')[0];
  if (CODE_MODULES.has(root)) return true;
  if (module !== 'builtins') return false;
  return !isExceptionClass(module, name) && !SAFE_BUILTINS.has(name);
}

const SAFE_BUILTINS = new Set([
  'set',
  'frozenset',
  'bytearray',
  'bytes',
  'object',
  'list',
  'dict',
  'tuple',
  'str',
  'int',
  'float',
  'complex',
  'bool',
  'range',
  'slice',
]);

/** True for an exception class read as data: builtins and `celery`/`billiard` exceptions. @internal */
export function isExceptionClass(module: string, name: string): boolean {
  if (module === 'builtins')
    return PYTHON_BUILTIN_EXCEPTIONS.has(name) || PROCESS_EXCEPTIONS.has(name);
  return (
    (module === 'celery.exceptions' || module === 'billiard.exceptions') &&
    /^[A-Z]\w*$/.test(name)
  );
}
