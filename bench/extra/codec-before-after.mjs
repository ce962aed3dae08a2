// Same-run comparison of the protocol codec at an older commit and now (issue 11: typed values).
// Usage (from the repository root, after `npm run build:lib`):
//   OLD=/tmp/oldcodec; mkdir -p $OLD && git archive 2e7100f libs/result-backend/src/protocol \
//     libs/result-backend/src/errors | tar -x -C $OLD && echo '{"type":"module"}' > $OLD/package.json
//   npx tsc --outDir $OLD/dist --rootDir $OLD/libs/result-backend/src --module nodenext \
//     --target ES2023 --strict --types node --skipLibCheck \
//     $(find $OLD/libs -name '*.ts' ! -name '*.spec.ts')
//   OLD_PROTOCOL=$OLD/dist/protocol/index.js node bench/extra/codec-before-after.mjs
// Optional: NEW_PROTOCOL (another build of the current protocol), ROUNDS (default 31), ROUND_MS
// (CPU-milliseconds per side and round, default 120), ONLY (substring of the case names).
// Not part of `npm run bench` (it needs the old build); results are in docs/benchmarks.md.
//
// Method: both codecs run in one process, interleaved in many short rounds (old first in even
// rounds, new first in odd ones), each round timed in CPU time of this process. Each round gives
// one new/old ratio; the median of the ratios is the result and the spread (25th–75th
// percentile, min–max) shows how far to trust it. Load from other processes slows both sides of
// a round alike, so the ratios stay fair on a shared machine where absolute rates do not.
import assert from 'node:assert/strict';

const oldP = await import(process.env.OLD_PROTOCOL);
const newP = await import(
  process.env.NEW_PROTOCOL ??
    new URL('../../libs/result-backend/dist/protocol/index.js', import.meta.url)
      .href
);
const ROUNDS = Number(process.env.ROUNDS ?? 31);
const ROUND_MS = Number(process.env.ROUND_MS ?? 120);
const ONLY = process.env.ONLY ?? '';

const ID = 'd5a9e8a4-2f5c-4c1e-9a55-0f3c3f1a2b3c';
const docs = {
  'plain SUCCESS (extended, 5.2.6 form)': `{"status": "SUCCESS", "result": {"answer": 42, "items": [1, 2.5, "x", null, true], "nested": {"a": {"b": [1, 2, 3]}}}, "traceback": null, "children": [], "date_done": "2026-11-30T14:22:26.214184", "name": "tasks.add", "args": [2, 3], "kwargs": {}, "worker": "w1@h", "retries": 0, "queue": "celery", "task_id": "${ID}"}`,
  'typed SUCCESS (5.6.3 envelopes)': `{"status": "SUCCESS", "result": {"naive": {"__type__": "datetime", "__value__": "2024-01-02T03:04:05.678901"}, "utc": {"__type__": "datetime", "__value__": "2024-01-02T03:04:05.678901+00:00"}, "date": {"__type__": "date", "__value__": "2024-01-02"}, "time": {"__type__": "time", "__value__": "03:04:05.000600"}, "dec": {"__type__": "decimal", "__value__": "3.14159265358979323846264338327950288"}, "u": {"__type__": "uuid", "__value__": {"hex": "12345678123456781234567812345678"}}}, "traceback": null, "children": [], "date_done": "2026-11-30T14:29:43.114349+00:00", "task_id": "${ID}"}`,
  '100 KB string result': `{"status": "SUCCESS", "result": "${'x'.repeat(102400)}", "traceback": null, "children": [], "date_done": "2026-11-30T14:22:26.214184", "task_id": "${ID}"}`,
};

function encodeInput(meta) {
  return {
    taskId: meta.taskId,
    status: meta.status,
    result: meta.result,
    traceback: meta.traceback,
    children: meta.children,
    dateDoneRaw: meta.dateDoneRaw,
    ...(meta.name === undefined
      ? {}
      : {
          request: {
            name: meta.name,
            args: meta.args,
            kwargs: meta.kwargs,
            worker: meta.worker,
            retries: meta.retries,
            queue: meta.queue,
          },
        }),
  };
}

/** The operation of one side, as a no-argument function. */
function operation(P, op, raw) {
  if (op === 'decodeTaskMeta') return () => P.decodeTaskMeta(ID, raw);
  const input = encodeInput(P.decodeTaskMeta(ID, raw));
  const opts =
    P === newP
      ? { celeryVersion: raw.includes('__type__') ? '5.6' : '5.2' }
      : { kombuTagged: false };
  // A store hands the text to a socket or file as UTF-8 bytes, which flattens it: the byte
  // count makes each side pay for that, so a writer returning an unflattened rope (string
  // concatenation) cannot look faster than one that joined its parts.
  return () => Buffer.byteLength(P.encodeTaskMeta(input, opts), 'utf8');
}

const cases = [];
for (const [name, raw] of Object.entries(docs)) {
  for (const op of ['decodeTaskMeta', 'encodeTaskMeta']) {
    if (!`${op} | ${name}`.includes(ONLY)) continue;
    const c = {
      op,
      name,
      old: operation(oldP, op, raw),
      new: operation(newP, op, raw),
    };
    // The new codec writes the very bytes Celery stored (typed ones as envelopes, which the
    // old codec could not write back); the old one, for plain documents, too.
    if (op === 'encodeTaskMeta') {
      const opts = { celeryVersion: raw.includes('__type__') ? '5.6' : '5.2' };
      const input = encodeInput(newP.decodeTaskMeta(ID, raw));
      assert.equal(
        newP.encodeTaskMeta(input, opts),
        raw,
        `new codec re-encodes ${name}`,
      );
      if (!raw.includes('__type__')) {
        const oldInput = encodeInput(oldP.decodeTaskMeta(ID, raw));
        assert.equal(
          oldP.encodeTaskMeta(oldInput, { kombuTagged: false }),
          raw,
        );
      }
    }
    cases.push({ ...c, ratios: [], oldRates: [], newRates: [] });
  }
}

function cpuMicros() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Operations per CPU-second of this process over about `ms` CPU-milliseconds. */
function rate(fn, ms) {
  let n = 0;
  const start = cpuMicros();
  const budget = ms * 1000;
  let used = 0;
  while (used < budget) {
    for (let i = 0; i < 20; i++) fn();
    n += 20;
    used = cpuMicros() - start;
  }
  return (n * 1e6) / used;
}

for (const c of cases) {
  rate(c.old, 1000);
  rate(c.new, 1000);
}
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) {
    let o;
    let nw;
    if (round % 2 === 0) {
      o = rate(c.old, ROUND_MS);
      nw = rate(c.new, ROUND_MS);
    } else {
      nw = rate(c.new, ROUND_MS);
      o = rate(c.old, ROUND_MS);
    }
    c.oldRates.push(o);
    c.newRates.push(nw);
    c.ratios.push(nw / o);
    if (process.env.VERBOSE)
      console.log(round, c.op, c.name, Math.round(o), Math.round(nw));
  }
}

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.ceil(pos)] - s[lo]) * (pos - lo);
}
const f2 = (x) => x.toFixed(2);
console.log(
  `${ROUNDS} interleaved rounds of ${ROUND_MS} CPU-ms per side; Node ${process.version}`,
);
console.log(
  '| op | document | before (ops/CPU-s, median) | after (ops/CPU-s, median) | after / before: median | 25–75 % | min–max |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const c of cases) {
  console.log(
    `| ${c.op} | ${c.name} | ${Math.round(quantile(c.oldRates, 0.5))} | ${Math.round(quantile(c.newRates, 0.5))} | ${f2(quantile(c.ratios, 0.5))}× | ${f2(quantile(c.ratios, 0.25))}–${f2(quantile(c.ratios, 0.75))} | ${f2(Math.min(...c.ratios))}–${f2(Math.max(...c.ratios))} |`,
  );
}
