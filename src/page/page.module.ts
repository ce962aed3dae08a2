import { Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the results page: the nearest `public/` with an `index.html` above this
 * file, so the same code finds it from `src/page/` (tests) and `dist/src/page/` (`npm start`).
 * Throws when there is none.
 */
export function findPageDir(
  from = dirname(fileURLToPath(import.meta.url)),
): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'public');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir)
      throw new Error(`No public/index.html above ${from}`);
  }
}

/**
 * `GET /`: the live results page (plain HTML, CSS and JS from `public/`, no build step). It
 * uses only the public HTTP API. Only `/` renders the page, so unknown paths stay 404.
 */
@Module({
  imports: [
    ServeStaticModule.forRoot({
      rootPath: findPageDir(),
      renderPath: '/',
      serveStaticOptions: { index: 'index.html', fallthrough: true },
    }),
  ],
})
export class PageModule {}
