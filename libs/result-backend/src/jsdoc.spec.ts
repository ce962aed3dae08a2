/**
 * Every exported declaration of the library carries a JSDoc comment (re-exports excepted).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const srcRoot = resolve(process.cwd(), 'libs/result-backend/src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

/** Lines of exported declarations with no `/** … *\/` right above them (decorators skipped). */
function undocumented(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (
      !/^export (declare )?(async )?(abstract )?(function|class|const|let|interface|enum|type(?= [A-Za-z_]))\b/.test(
        line,
      )
    )
      return;
    let j = i - 1;
    // Skip a decorator block (possibly multi-line) directly above the declaration.
    if (
      j >= 0 &&
      /^[\s})\]]/.test(lines[j]) &&
      !lines[j].trim().endsWith('*/')
    ) {
      while (j >= 0 && !lines[j].startsWith('@')) j--;
      j--;
    }
    while (j >= 0 && lines[j].startsWith('@')) j--;
    if (j < 0 || !lines[j].trim().endsWith('*/'))
      out.push(`${file}:${i + 1}: ${line.slice(0, 80)}`);
  });
  return out;
}

describe('JSDoc', () => {
  it('documents every exported declaration', () => {
    const files = sources(srcRoot);
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(undocumented)).toEqual([]);
  });
});
