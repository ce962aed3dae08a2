import { readSettled } from './filesystem-torn-read.reader.js';

const timing = { graceMs: 1000, maxMs: 10_000 };
const WHOLE =
  '{"status": "SUCCESS", "result": {"s": "}\\"]{", "n": [1, {"a": 2}]}, "traceback": null}';

/** A reader that returns `first`, then the whole document; counts its calls. */
function reader(first: string | null): {
  read: (p: string) => Promise<Buffer | null>;
  calls: () => number;
} {
  let n = 0;
  return {
    read: (): Promise<Buffer | null> => {
      n++;
      const text = n === 1 ? first : WHOLE;
      return Promise.resolve(text === null ? null : Buffer.from(text));
    },
    calls: () => n,
  };
}

const settle = (first: string | null) => {
  const r = reader(first);
  return readSettled('/nonexistent/x', r.read, timing, 'file:///x').then(
    (b) => ({ text: b?.toString(), calls: r.calls() }),
  );
};

describe('readSettled: which bytes are a write in progress', () => {
  it.each([
    ['a whole document, brackets and quotes inside strings', WHOLE],
    ['a whole document with a trailing newline', `${WHOLE}\n`],
    ['a whole array', '[1, [2, 3], "]"]'],
    ['bytes that are no JSON document (a pickle)', '\x80\x04K*.'],
  ])('%s: returned at the first read', async (_, text) => {
    await expect(settle(text)).resolves.toEqual({ text, calls: 1 });
  });

  it('missing: null at the first read', async () => {
    await expect(settle(null)).resolves.toEqual({
      text: undefined,
      calls: 1,
    });
  });

  it.each([
    ['empty (just truncated)', ''],
    [
      'cut after an inner object closed',
      WHOLE.slice(0, WHOLE.indexOf('2}') + 2),
    ],
    ['cut inside a string holding a bracket', WHOLE.slice(0, 40)],
    ['cut after an escaped quote', WHOLE.slice(0, WHOLE.indexOf('\\"') + 2)],
    ['cut one byte short', WHOLE.slice(0, -1)],
  ])('%s: re-read until whole', async (_, text) => {
    await expect(settle(text)).resolves.toEqual({ text: WHOLE, calls: 2 });
  });
});
