// Same-run comparison of the protocol codec at an older commit and now (issue 11: typed values).
// Usage (from the repository root, after `npm run build:lib`):
//   OLD=/tmp/old; mkdir -p $OLD && git archive <commit> libs/result-backend/src/protocol \
//     libs/result-backend/src/errors | tar -x -C $OLD   # then compile it with tsc into $OLD/dist
//   OLD_PROTOCOL=$OLD/dist/protocol/index.js node bench/extra/codec-before-after.mjs
// Not part of `npm run bench` (it needs the old build); results are in docs/benchmarks.md.
const oldP = await import(process.env.OLD_PROTOCOL);
const newP = await import(
  new URL('../../libs/result-backend/dist/protocol/index.js', import.meta.url)
    .href
);

const ID = 'd5a9e8a4-2f5c-4c1e-9a55-0f3c3f1a2b3c';
const docs = {
  'plain SUCCESS (extended, 5.2.6 form)': `{"status": "SUCCESS", "result": {"answer": 42, "items": [1, 2.5, "x", null, true], "nested": {"a": {"b": [1, 2, 3]}}}, "traceback": null, "children": [], "date_done": "2026-11-30T14:22:26.214184", "name": "tasks.add", "args": [2, 3], "kwargs": {}, "worker": "w1@h", "retries": 0, "queue": "celery", "task_id": "${ID}"}`,
  'typed SUCCESS (5.6.3 envelopes)': `{"status": "SUCCESS", "result": {"naive": {"__type__": "datetime", "__value__": "2024-01-02T03:04:05.678901"}, "utc": {"__type__": "datetime", "__value__": "2024-01-02T03:04:05.678901+00:00"}, "date": {"__type__": "date", "__value__": "2024-01-02"}, "time": {"__type__": "time", "__value__": "03:04:05.000600"}, "dec": {"__type__": "decimal", "__value__": "3.14159265358979323846264338327950288"}, "u": {"__type__": "uuid", "__value__": {"hex": "12345678123456781234567812345678"}}}, "traceback": null, "children": [], "date_done": "2026-11-30T14:29:43.114349+00:00", "task_id": "${ID}"}`,
  '100 KB string result': `{"status": "SUCCESS", "result": "${'x'.repeat(102400)}", "traceback": null, "children": [], "date_done": "2026-11-30T14:22:26.214184", "task_id": "${ID}"}`,
};

// Ops per CPU-second of this process (not per wall second): on a shared, loaded machine the
// process is descheduled for long stretches, which wall time would count against whichever
// side happened to be running.
function rate(fn, ms = 700) {
  for (let i = 0; i < 200; i++) fn();
  let n = 0;
  const end = performance.now() + ms;
  const cpu0 = process.cpuUsage();
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
  }
  const cpu = process.cpuUsage(cpu0);
  return (n * 1e6) / (cpu.user + cpu.system);
}
function encodeInput(P, meta) {
  return {
    taskId: meta.taskId,
    status: meta.status,
    result: meta.result,
    traceback: meta.traceback,
    children: meta.children,
    dateDoneRaw: meta.dateDoneRaw,
  };
}
const rows = [];
for (const round of [1, 2, 3]) {
  for (const [name, raw] of Object.entries(docs)) {
    for (const [op, run] of [
      ['decodeTaskMeta', (P) => () => P.decodeTaskMeta(ID, raw)],
      [
        'encodeTaskMeta',
        (P) => {
          const m = P.decodeTaskMeta(ID, raw);
          const input = encodeInput(P, m);
          const opts =
            P === newP
              ? { celeryVersion: raw.includes('__type__') ? '5.6' : '5.2' }
              : { kombuTagged: false };
          return () => P.encodeTaskMeta(input, opts);
        },
      ],
    ]) {
      const o = rate(run(oldP));
      const nw = rate(run(newP));
      rows.push({ round, name, op, old: o, new: nw });
    }
  }
}
const agg = new Map();
for (const r of rows) {
  const k = `${r.op} | ${r.name}`;
  const a = agg.get(k) ?? { old: [], new: [] };
  a.old.push(r.old);
  a.new.push(r.new);
  agg.set(k, a);
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  '| op | document | before (ops/CPU-s) | after (ops/CPU-s) | after / before |',
);
console.log('| --- | --- | --- | --- | --- |');
for (const [k, a] of agg) {
  const [op, name] = k.split(' | ');
  console.log(
    `| ${op} | ${name} | ${Math.round(med(a.old))} | ${Math.round(med(a.new))} | ${(med(a.new) / med(a.old)).toFixed(2)}× |`,
  );
}
