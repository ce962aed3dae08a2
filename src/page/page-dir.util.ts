import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the results page: the nearest `public/` with an `index.html` above `from`
 * (default: this file's folder), so the same code finds the repo's `public/` from `src/page/`
 * (tests) and from `dist/src/page/` (`npm start`). Throws when there is none.
 */
export function findPageDir(
  from = dirname(fileURLToPath(import.meta.url)),
): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'public');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir)
      throw new Error(`No public/index.html in or above ${from}`);
  }
}
