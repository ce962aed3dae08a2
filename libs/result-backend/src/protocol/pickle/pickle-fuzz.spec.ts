/**
 * Hostile pickles: each gives a MalformedResultError quickly and nothing is ever called.
 */
import { MalformedResultError } from '../../errors/malformed-result.error.js';
import { pickleFixtures } from '../../../../../test/support/pickle-fixtures.js';
import { UnknownPythonObject, loadsPickle, readPickledJson } from './index.js';

const latin = (s: string): Uint8Array =>
  Uint8Array.from(Buffer.from(s, 'latin1'));
const u64 = (n: bigint): string => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b.toString('latin1');
};
const u32 = (n: number): string => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b.toString('latin1');
};

function expectMalformed(bytes: Uint8Array, reason: RegExp): void {
  const started = performance.now();
  let error: unknown;
  try {
    readPickledJson(bytes, { key: 'celery-task-meta-x' });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(MalformedResultError);
  expect((error as MalformedResultError).key).toBe('celery-task-meta-x');
  expect((error as MalformedResultError).reason).toMatch(reason);
  expect(performance.now() - started).toBeLessThan(10_000);
}

describe('hostile pickles', () => {
  it.each([
    [
      'os.system via REDUCE (protocol 0)',
      "cos\nsystem\n(S'touch /tmp/pwned'\ntR.",
    ],
    [
      'posix.system via STACK_GLOBAL',
      '\x80\x04\x8c\x05posix\x8c\x06system\x93\x8c\x02id\x85R.',
    ],
    ['builtins.eval', 'c__builtin__\neval\n(Vprint(1)\ntR.'],
    [
      'builtins.getattr',
      'cbuiltins\ngetattr\n(cbuiltins\nobject\nV__subclasses__\ntR.',
    ],
    ['subprocess.Popen via INST', "(S'ls'\nisubprocess\nPopen\n."],
    ['subprocess.check_output via OBJ', '(csubprocess\ncheck_output\nVls\no.'],
    [
      'importlib via NEWOBJ',
      '\x80\x02cimportlib\nimport_module\nVos\n\x85\x81.',
    ],
  ])('%s is refused', (_name, text) => {
    expectMalformed(latin(text), /refusing a pickle that calls/);
  });

  it('keeps an unknown class inert, naming module and class', () => {
    const value = loadsPickle(latin("cmyapp.models\nReport\n(I7\nS'x'\ntR."));
    expect(value).toEqual(
      new UnknownPythonObject('myapp.models', 'Report', [7, 'x']),
    );
    expect(readPickledJson(latin('cmyapp.models\nReport\n(I7\ntR.'))).toEqual({
      __python_object__: 'myapp.models.Report',
      args: [7],
    });
  });

  it.each([
    [
      'a missing memo index (BINGET)',
      '\x80\x04h\x07.',
      /memo index 7 not defined/,
    ],
    [
      'a huge memo index (LONG_BINGET)',
      `\x80\x04j${u32(0xffffffff)}.`,
      /memo index 4294967295/,
    ],
    ['a huge memo index (text GET)', 'g99999999999999999999\n.', /memo index/],
    ['a huge BINUNICODE8 length', `\x80\x04\x8d${u64(2n ** 62n)}.`, /exceeds/],
    [
      'a huge BINBYTES8 length',
      `\x80\x04\x8e${u64(2n ** 64n - 1n)}.`,
      /exceeds/,
    ],
    ['a huge BINUNICODE length', `X${u32(0xfffffff0)}abc.`, /truncated/],
    ['a huge FRAME', `\x80\x04\x95${u64(2n ** 40n)}N.`, /exceeds/],
    [
      'a negative LONG4 length',
      `\x80\x02\x8b${u32(0xffffffff)}.`,
      /negative length/,
    ],
    ['persistent ids', 'Pfoo\n.', /persistent ids/],
    ['extension codes', '\x80\x02\x82\x01.', /extension codes/],
    ['out-of-band buffers', '\x80\x05\x97.', /out-of-band/],
    ['an unknown opcode', '\x80\x04\xff.', /unknown opcode 0xff/],
    ['an unsupported protocol', '\x80\x06N.', /unsupported pickle protocol/],
    ['no STOP', '\x80\x04N', /truncated/],
    ['an empty input', '', /truncated/],
    ['two values at STOP', 'NN.', /STOP/],
    ['REDUCE on a non-global', ']).R.'.replace('.R', 'R'), /not a global/],
    ['SETITEM on a list', '](K\x01K\x02s.', /not a dict/],
    ['invalid UTF-8', '\x80\x04\x8c\x02\xc3\x28.', /UTF-8/],
    [
      'a bad datetime state',
      `\x80\x03cdatetime\ndatetime\nC\x0a${'\x07\xe4\x0d\x01\x00\x00\x00\x00\x00\x00'}\x85R.`,
      /bad datetime/,
    ],
  ])('%s', (_name, text, reason) => {
    expectMalformed(latin(text), reason);
  });

  it('refuses deep nesting', () => {
    const depth = 100_000;
    // EMPTY_LIST × depth, then APPEND × (depth − 1): a list nested 100,000 levels deep.
    expectMalformed(
      latin(`\x80\x04${']'.repeat(depth)}${'a'.repeat(depth - 1)}.`),
      /nested too deeply/,
    );
    expectMalformed(latin(`${'('.repeat(depth)}.`), /STOP/);
  });

  it('refuses a recursive structure and exponential sharing', () => {
    expectMalformed(latin('\x80\x04]\x94h\x00a.'), /recursive/);
    // l0 = []; l(i+1) = [li, li]: 2^64 nodes once expanded, 200 bytes as a pickle.
    let text = '\x80\x04]\x940';
    for (let i = 0; i < 64; i++) {
      const at = String.fromCharCode(i);
      text += `(h${at}h${at}l\x94${i < 63 ? '0' : ''}`;
    }
    expectMalformed(latin(`${text}.`), /expands beyond/);
  });

  it('refuses every truncation of real pickles and survives random corruption', () => {
    const fixtures = pickleFixtures();
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let outcomes = 0;
    for (const { hex } of fixtures) {
      const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
      for (let cut = 0; cut < bytes.length; cut++) {
        expect(() => readPickledJson(bytes.subarray(0, cut))).toThrow(
          MalformedResultError,
        );
      }
      for (let round = 0; round < 10; round++) {
        const copy = Uint8Array.from(bytes);
        copy[rand(copy.length)] = rand(256);
        try {
          readPickledJson(copy);
        } catch (err) {
          expect(err).toBeInstanceOf(MalformedResultError);
        }
        outcomes++;
      }
    }
    expect(outcomes).toBe(fixtures.length * 10);
  });
});
