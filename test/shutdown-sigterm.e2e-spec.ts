/**
 * Prompt shutdown of a real app process: the built demo (`node dist/src/main.js`, which calls
 * `enableShutdownHooks()`) with an open SSE stream and an open long-poll exits within 2 s of
 * SIGTERM, logs no ERROR line, and both clients get a clean end: the stream a last `error`
 * event (503) and a normal end, the long-poll a 503 JSON answer. The build is made once, and
 * only when missing or stale (test/support/demo-build.ts).
 */
import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemo } from './support/demo-build.js';
import { getFreePort } from './support/server-process.js';

jest.setTimeout(30_000);

interface Reply {
  status: number;
  body: string;
  /** Resolves when the response ended normally; rejects if the connection broke. */
  ended: Promise<void>;
}

function open(url: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    get(url, (res: IncomingMessage) => {
      res.setEncoding('utf8');
      const reply: Reply = {
        status: res.statusCode ?? 0,
        body: '',
        ended: new Promise((ok, fail) => {
          res.on('end', ok);
          res.on('error', fail);
          res.on('aborted', () => fail(new Error('connection aborted')));
        }),
      };
      res.on('data', (chunk: string) => (reply.body += chunk));
      resolve(reply);
    }).on('error', reject);
  });
}

async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('demo app process on SIGTERM', () => {
  let app: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'rb-sigterm-'));
  afterAll(() => {
    if (app?.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  let main: string;
  beforeAll(() => {
    ({ main } = buildDemo()); // reuses an up-to-date build (CI packed the library already)
  }, 240_000);

  it('exits within 2 s with an open stream and long-poll, no ERROR, clean ends', async () => {
    const port = await getFreePort();
    let logs = '';
    app = spawn(process.execPath, [main], {
      env: {
        ...process.env,
        PORT: String(port),
        RESULTS_DIR: dir,
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout?.on('data', (c: Buffer) => (logs += c.toString()));
    app.stderr?.on('data', (c: Buffer) => (logs += c.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>(
      (resolve) =>
        app?.once('exit', (code, signal) => resolve({ code, signal })),
    );
    await until(() => logs.includes('Results from'), 'the app to listen');

    const base = `http://127.0.0.1:${port}`;
    const sse = await open(`${base}/tasks/never-done/events`);
    await until(() => sse.body.includes('"PENDING"'), 'the first event');
    const longPoll = open(`${base}/tasks/never-done-2/result?timeout=60`);
    await new Promise((r) => setTimeout(r, 300)); // the long-poll is now waiting

    const sent = Date.now();
    app.kill('SIGTERM');
    const { code, signal } = await exited;
    const took = Date.now() - sent;

    expect(took).toBeLessThan(2000);
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(logs).not.toMatch(/\bERROR\b/);

    await expect(sse.ended).resolves.toBeUndefined();
    const last = sse.body.trim().split(/\n\n/).at(-1) ?? '';
    expect(last).toMatch(/^event: error\nid: 2\ndata: /);
    expect(JSON.parse(last.replace(/^[\s\S]*?data: /, ''))).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
    });

    const reply = await longPoll;
    await expect(reply.ended).resolves.toBeUndefined();
    expect(reply.status).toBe(503);
    expect(JSON.parse(reply.body)).toMatchObject({ statusCode: 503 });
  });
});
