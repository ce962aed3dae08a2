/**
 * CPython reads what the protocol-4 pickle writer writes, exactly (types and values).
 */
import {
  PyDate,
  PyDateTime,
  PyDecimal,
  PyException,
  PyTime,
  PyTimedelta,
  PyTimezone,
  PyUuid,
  dumpsPickle,
} from '../libs/result-backend/src/protocol/pickle/index.js';
import { describeWithCelery, runPython } from './utils/python.js';

const SCRIPT = `
import pickle, sys
for line in sys.stdin.read().split():
    v = pickle.loads(bytes.fromhex(line))
    print(type(v).__name__, repr(v))
`;

describeWithCelery('pickle writer → CPython pickle.loads', () => {
  it('gives the exact Python types and values', async () => {
    const tz = new PyTimezone(new PyTimedelta(0, 19800, 0));
    const values: unknown[] = [
      null,
      true,
      2 ** 40,
      -(2n ** 100n),
      1.5,
      NaN,
      'héllo ☃ 😀',
      new Uint8Array([0, 255]),
      [1, [2, 'x']],
      { a: 1, b: [null] },
      new Set([3]),
      new PyDateTime(2026, 11, 30, 15, 55, 44, 123456),
      new PyDateTime(1999, 12, 31, 23, 59, 59, 1, tz),
      new Date('2020-01-02T03:04:05.678Z'),
      new PyDate(2024, 2, 29),
      new PyTime(12, 30, 1, 500),
      new PyTimedelta(-1, 3600, 5),
      new PyDecimal('3.14159265358979323846264338327950288'),
      new PyUuid('12345678-1234-5678-1234-567812345678'),
      new PyException('builtins', 'ValueError', ['bad', 1]),
    ];
    const input = values
      .map((v) => Buffer.from(dumpsPickle(v)).toString('hex'))
      .join('\n');
    const run = await runPython(['-c', SCRIPT], { input });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n')).toEqual([
      'NoneType None',
      'bool True',
      'int 1099511627776',
      'int -1267650600228229401496703205376',
      'float 1.5',
      'float nan',
      "str 'héllo ☃ 😀'",
      "bytes b'\\x00\\xff'",
      "list [1, [2, 'x']]",
      "dict {'a': 1, 'b': [None]}",
      'set {3}',
      'datetime datetime.datetime(2026, 11, 30, 15, 55, 44, 123456)',
      'datetime datetime.datetime(1999, 12, 31, 23, 59, 59, 1, tzinfo=datetime.timezone(datetime.timedelta(seconds=19800)))',
      'datetime datetime.datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc)',
      'date datetime.date(2024, 2, 29)',
      'time datetime.time(12, 30, 1, 500)',
      'timedelta datetime.timedelta(days=-1, seconds=3600, microseconds=5)',
      "Decimal Decimal('3.14159265358979323846264338327950288')",
      "UUID UUID('12345678-1234-5678-1234-567812345678')",
      "ValueError ValueError('bad', 1)",
    ]);
  });
});
