/**
 * Debian's `chromium` driven by `playwright-core` (no downloaded browser), for the demo page's
 * browser test. Each launch uses a fresh profile folder, removed on close.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { describeWithServer } from './skip-gate.js';

/** The browser binary (`apt-get install chromium`); `CHROMIUM_PATH` overrides it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a quiet headless run in a container: no sandbox, GPU, QUIC or background traffic. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A running browser; `close()` is idempotent and removes the profile folder. */
export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launch {@link CHROMIUM} with a fresh `--user-data-dir` and a 1100×800 viewport. */
export async function launchChromium(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'rb-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1100, height: 800 },
      timeout: 60_000,
    });
    let closed: Promise<void> | undefined;
    return {
      context,
      close: () =>
        (closed ??= context
          .close()
          .finally(() => rmSync(profile, { recursive: true, force: true }))),
    };
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}

/** `describe` when {@link CHROMIUM} exists; else skip loudly, or fail under CI=true. */
export function describeWithBrowser(name: string, fn: () => void): void {
  describeWithServer([CHROMIUM], name, fn);
}
