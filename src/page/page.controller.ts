import {
  Controller,
  Get,
  Header,
  NotFoundException,
  Param,
  StreamableFile,
} from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { findPageDir } from './page-dir.util.js';

/** The page's files and their content types; nothing else is served. */
export const PAGE_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'demo.js': 'text/javascript; charset=utf-8',
  'render.js': 'text/javascript; charset=utf-8',
  'demo.css': 'text/css; charset=utf-8',
};

/**
 * The live results page: `GET /` (index.html) and `GET /page/<file>` (its script and style),
 * read from `public/`. Only the files of {@link PAGE_FILES} are served; any other name is a 404.
 */
@Controller()
export class PageController {
  private readonly dir = findPageDir();

  /** `GET /`: the page. */
  @Get()
  @Header('Cache-Control', 'no-cache')
  index(): StreamableFile {
    return this.file('index.html');
  }

  /** `GET /page/:file`: the page's script and style. */
  @Get('page/:file')
  @Header('Cache-Control', 'no-cache')
  asset(@Param('file') name: string): StreamableFile {
    if (name === 'index.html' || !Object.hasOwn(PAGE_FILES, name))
      throw new NotFoundException(`Cannot GET /page/${name}`);
    return this.file(name);
  }

  private file(name: string): StreamableFile {
    return new StreamableFile(createReadStream(join(this.dir, name)), {
      type: PAGE_FILES[name],
    });
  }
}
