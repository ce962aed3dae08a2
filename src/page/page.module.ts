import { Module } from '@nestjs/common';
import { PageController } from './page.controller.js';

/**
 * `GET /`: the live results page, plain HTML, CSS and JS from `public/` with no build step. It
 * uses only the app's public HTTP API (docs/demo.md).
 */
@Module({ controllers: [PageController] })
export class PageModule {}
