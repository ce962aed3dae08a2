/**
 * The demo's results page in a real browser: Debian's chromium driven by playwright-core,
 * against the demo app on a free loopback port with a filesystem store in a temp folder. Starts
 * tasks from the page's forms, watches a result a real Celery 5.2.6 process wrote into the same
 * folder, and takes the screenshot the README shows (written to docs/demo-page.png only with
 * UPDATE_SCREENSHOT=1).
 */
import type { INestApplication } from '@nestjs/common';
import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { startDemoApp } from './support/demo-app.js';
import {
  describeWithBrowser,
  launchChromium,
  type TestBrowser,
} from './support/browser.js';
import { describeWithCelery, runPython } from './support/python.js';

// a browser, an app and a Python process on 2 shared cores
jest.setTimeout(90_000);

const here = dirname(fileURLToPath(import.meta.url));
const SCREENSHOT = join(here, '..', 'docs', 'demo-page.png');
/** `UPDATE_SCREENSHOT=1 npm test -- test/demo-page.e2e-spec.ts` rewrites docs/demo-page.png. */
const UPDATE_SCREENSHOT = process.env.UPDATE_SCREENSHOT === '1';
const WAIT = { timeout: 30_000 };

describeWithBrowser('demo page in chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-page-'));
  let app: INestApplication;
  let browser: TestBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  const row = (id: string): Locator =>
    page.locator(`#rows > li[data-id="${id}"]`);
  const topRowId = async (): Promise<string> =>
    (await page.locator('#rows > li').first().getAttribute('data-id')) ?? '';
  /** Wait until the row's badge shows `state`. */
  const reach = (id: string, state: string): Promise<void> =>
    row(id).locator(`> .row-head .badge[data-state="${state}"]`).waitFor(WAIT);
  const watchId = async (id: string): Promise<void> => {
    await page.getByLabel('Task or group id').fill(id);
    await page.getByRole('button', { name: 'Watch', exact: true }).click();
    await row(id).waitFor(WAIT);
  };

  beforeAll(async () => {
    app = await startDemoApp({ RESULTS_DIR: dir, DEMO_STEP_MS: '300' });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      // the answers the page expects (404 of a group probe, 400 of a bad id) are logged too
      const expected = /^Failed to load resource: .* (400|404) /;
      if (msg.type() === 'error' && !expected.test(msg.text()))
        pageErrors.push(msg.text());
    });
    await page.goto(`${await app.getUrl()}/`);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the masked backend and its health in the header', async () => {
    expect(await page.title()).toBe('Celery results · NestJS demo');
    await page.locator('#health[data-status="up"]').waitFor(WAIT);
    expect(await page.locator('#backend-url').textContent()).toBe(
      `file://${dir}`,
    );
    expect(await page.locator('#health').textContent()).toMatch(
      /^up · [\d.]+ ms$/,
    );
  });

  it('a 3-step task goes STARTED → PROGRESS → SUCCESS, its bar ending at 100%', async () => {
    await page.getByLabel('Steps').first().fill('3');
    await page.getByLabel('Outcome').selectOption('success');
    await page.getByRole('button', { name: 'Start task' }).click();
    await page.locator('#rows > li').first().waitFor(WAIT);
    const id = await topRowId();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // seen live: the bar moves while the task runs
    await reach(id, 'PROGRESS');
    await reach(id, 'SUCCESS');
    const bar = row(id).locator('> .progress .bar');
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    expect(await row(id).locator('> .progress .bar-text').textContent()).toBe(
      '3 / 3',
    );
    expect(
      JSON.parse((await row(id).locator('.result').textContent()) ?? ''),
    ).toEqual({
      steps: 3,
      message: 'processed 3 items',
    });
    expect(await row(id).locator('.name').textContent()).toBe(
      "demo.simulate(outcome='success', steps=3)",
    );
    expect(await row(id).locator('time').getAttribute('datetime')).toMatch(
      /^\d{4}-\d\d-\d\dT/,
    );
  });

  it('a failing task shows the exception type, message and its traceback', async () => {
    await page.getByLabel('Steps').first().fill('1');
    await page.getByLabel('Outcome').selectOption('failure');
    await page.getByRole('button', { name: 'Start task' }).click();
    await page.locator('#rows > li').nth(1).waitFor(WAIT); // the second row
    const id = await topRowId();
    await reach(id, 'FAILURE');
    expect(await row(id).locator('.exc-type').textContent()).toBe('ValueError');
    expect(await row(id).locator('.exc-message').textContent()).toBe(
      ': simulated failure after 1 steps',
    );
    const traceback = row(id).locator('details.traceback pre');
    expect(await traceback.isVisible()).toBe(false); // collapsed until asked for
    await row(id).getByText('Traceback', { exact: true }).click();
    expect(await traceback.isVisible()).toBe(true);
    expect(await traceback.textContent()).toBe(
      [
        'Traceback (most recent call last):',
        '  File "/app/demo/tasks.py", line 12, in simulate',
        '    raise ValueError(f"simulated failure after {steps} steps")',
        'ValueError: simulated failure after 1 steps',
        '',
      ].join('\n'),
    );
  });

  it('a group of 3 fills its bar of finished members', async () => {
    await page.getByLabel('Tasks', { exact: true }).fill('3');
    await page.getByLabel('Steps').nth(1).fill('1');
    await page.getByRole('button', { name: 'Start group' }).click();
    await page.locator('#rows > li[data-kind="group"]').waitFor(WAIT);
    const id = await topRowId();
    await row(id)
      .locator('> .progress .bar[aria-valuenow="100"]')
      .waitFor(WAIT);
    expect(await row(id).locator('> .progress .bar-text').textContent()).toBe(
      '3 / 3 finished',
    );
    expect(await row(id).locator('.member .badge').allTextContents()).toEqual([
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
    ]);
  });

  it('an id no store can use is refused with the API message', async () => {
    await page.getByLabel('Task or group id').fill('../etc');
    await page.getByRole('button', { name: 'Watch', exact: true }).click();
    await page.locator('#message.error').waitFor(WAIT);
    expect(await page.locator('#message').textContent()).toMatch(
      /^Cannot watch "\.\.\/etc": Invalid \w+ id "\.\.\/etc": name contains a path separator$/,
    );
  });

  describeWithCelery('results written by Celery 5.2.6', () => {
    it('appear when their ids are entered', async () => {
      const run = await runPython(
        [join(here, 'python', 'fs_celery_write.py'), dir],
        {
          timeoutMs: 60_000,
        },
      );
      expect(run.code).toBe(0);
      const written = JSON.parse(run.stdout) as {
        kind: string;
        id: string;
        state: string;
      }[];
      const first = (state: string): string =>
        written.find((w) => w.kind === 'task' && w.state === state)?.id ?? '';

      const success = written[0].id; // store_result(42, 'SUCCESS')
      await watchId(success);
      await reach(success, 'SUCCESS');
      expect(await row(success).locator('.result').textContent()).toBe('42');

      const failed = first('FAILURE'); // raise CustomError('custom message', 42)
      await watchId(failed);
      await reach(failed, 'FAILURE');
      expect(await row(failed).locator('.exc-type').textContent()).toBe(
        'CustomError',
      );
      expect(await row(failed).locator('.exc-message').textContent()).toBe(
        ': custom message, 42',
      );
      await row(failed).getByText('Traceback', { exact: true }).click();
      const traceback =
        (await row(failed).locator('details.traceback pre').textContent()) ??
        '';
      expect(traceback).toMatch(/^Traceback \(most recent call last\):\n/);
      expect(traceback).toContain("raise CustomError('custom message', 42)");

      const progress = first('PROGRESS'); // {'current': 3, 'total': 10}
      await watchId(progress);
      await reach(progress, 'PROGRESS');
      expect(
        await row(progress)
          .locator('> .progress .bar')
          .getAttribute('aria-valuenow'),
      ).toBe('30');

      const group = written.find((w) => w.kind === 'group')?.id ?? '';
      await watchId(group);
      expect(await row(group).getAttribute('data-kind')).toBe('group');
      await row(group)
        .locator('> .progress .bar[aria-valuenow="100"]')
        .waitFor(WAIT);
      expect(
        await row(group).locator('.member .result').allTextContents(),
      ).toEqual(['0', '2', '4']);
    });
  });

  it('takes the screenshot the README shows (saved with UPDATE_SCREENSHOT=1), with no error in the page', async () => {
    await page.locator('#message').evaluate((el) => (el.hidden = true));
    // Written only when asked, so a test run never dirties the work tree.
    const png = await page.screenshot({
      fullPage: true,
      ...(UPDATE_SCREENSHOT ? { path: SCREENSHOT } : {}),
    });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(pageErrors).toEqual([]);
  });
});
