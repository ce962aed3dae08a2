// `npm run bench`: runs every bench/cases/*.bench.mjs (or those named on the command line),
// prints one markdown section per case and writes them all to docs/benchmarks.md.
// Each case module exports `title` and `run()` that resolves to markdown text.
import { readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';

const dir = new URL('./cases/', import.meta.url);
const only = process.argv.slice(2);
const files = (await readdir(dir))
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));

const cpus = os.cpus();
let md = `# Benchmarks\n\nLatest \`npm run bench\` on ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.\nRatios compare against the raw client or Celery 5.2.6 measured in the same run.\n\n`;
for (const f of files) {
  const mod = await import(new URL(f, dir));
  process.stdout.write(`\n## ${mod.title}\n\n`);
  let section;
  try {
    section = await mod.run();
  } catch (e) {
    section = `failed: ${e instanceof Error ? e.stack : String(e)}\n`;
  }
  process.stdout.write(section);
  md += `## ${mod.title}\n\n${section}\n`;
}
if (only.length === 0)
  await writeFile(new URL('../docs/benchmarks.md', import.meta.url), md);
else process.stdout.write('\n(partial run: docs/benchmarks.md not updated)\n');
