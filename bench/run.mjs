// `npm run bench`: runs every bench/cases/*.bench.mjs (or those named on the command line),
// prints one markdown section per case and writes them to docs/benchmarks.md. Each case module
// exports `title` and `run()` that resolves to markdown text. A partial run (cases named)
// replaces only its cases' sections; every section says when, where and at which commit it ran.
// Sections of the file that no case writes (e.g. the codec comparison) are kept as they are.
import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';

const dir = new URL('./cases/', import.meta.url);
const docFile = new URL('../docs/benchmarks.md', import.meta.url);
const only = process.argv.slice(2);
const files = (await readdir(dir))
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));

const git = (...args) => {
  try {
    return execFileSync('git', args, { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};
const commit = `${git('rev-parse', '--short', 'HEAD') || 'unknown'}${git('status', '--porcelain', '--', 'libs', 'bench') ? ' (+ local changes)' : ''}`;
const cpus = os.cpus();
const load = os.loadavg()[0].toFixed(1);
const stamp = () =>
  `_Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ` +
  `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, commit ${commit}, load average ${load} when the run started._\n\n`;

/** The existing file as { head, sections: Map<title, text> } (sections in file order). */
async function readDoc() {
  let text = '';
  try {
    text = await readFile(docFile, 'utf8');
  } catch {
    /* first run */
  }
  const [head, ...parts] = text.split(/^## /m);
  const sections = new Map();
  for (const p of parts) {
    const nl = p.indexOf('\n');
    sections.set(p.slice(0, nl).trim(), p.slice(nl + 1).trim() + '\n');
  }
  return { head, sections };
}

const doc = await readDoc();
for (const f of files) {
  const mod = await import(new URL(f, dir));
  process.stdout.write(`\n## ${mod.title}\n\n`);
  let section;
  const header = stamp();
  try {
    section = await mod.run();
  } catch (e) {
    section = `failed: ${e instanceof Error ? e.stack : String(e)}\n`;
  }
  process.stdout.write(header + section);
  doc.sections.set(mod.title, header + section);
}
const head =
  '# Benchmarks\n\n`npm run bench` (all cases) or `npm run bench -- <case> …` (those cases only) writes the sections ' +
  'below; each section says when, on which machine and at which commit it ran. Ratios compare with the raw client ' +
  'and with Celery 5.2.6 and 5.6.3 measured in the same run, on the same server. The machine is shared (2 cores, ' +
  'other sessions running): compare ratios within a section, not absolute numbers across sections.\n\n';
let md = head;
for (const [title, text] of doc.sections) md += `## ${title}\n\n${text}\n`;
await writeFile(docFile, md.trimEnd() + '\n');
process.stdout.write(
  `\ndocs/benchmarks.md: ${files.length} section(s) updated\n`,
);
