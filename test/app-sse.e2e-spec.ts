/**
 * The demo app's server-sent events over real HTTP (a raw node:http client that parses the
 * event stream, and the `eventsource` package as a browser-style client), on a filesystem
 * store in a temp dir: the demo producer end to end, the error path, disconnects, shutdown.
 */
import type { INestApplication } from '@nestjs/common';
import { jest } from '@jest/globals';
import { EventSource } from 'eventsource';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ResultBackendService } from '../libs/result-backend/src/index.js';
import { startDemoApp } from './support/demo-app.js';

// real servers and timers: more than jest's default 5 s per test (projects ignore testTimeout)
jest.setTimeout(30_000);

/** One parsed server-sent event. */
interface SseEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

/** A live SSE response. */
interface SseStream {
  readonly status: number;
  readonly contentType: string;
  /** Body of a non-200 answer. */
  readonly body: string;
  readonly events: SseEvent[];
  /** Resolves once `count` events arrived (rejects after `ms`). */
  waitForEvents(count: number, ms?: number): Promise<SseEvent[]>;
  /** Resolves when the server ended the response. */
  readonly ended: Promise<void>;
  /** Drop the connection. */
  close(): void;
}

/** Every stream opened, dropped after each test (also one whose expectations failed). */
const opened = new Set<SseStream>();
afterEach(() => {
  for (const sse of opened) sse.close();
  opened.clear();
});

/** GET `url` and parse `text/event-stream` as it arrives (the SSE wire format, by hand). */
function openSse(url: string): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    let req: ClientRequest | undefined = undefined;
    req = httpGet(
      url,
      { agent: false, headers: { accept: 'text/event-stream' } },
      (res) => {
        res.setEncoding('utf8');
        const events: SseEvent[] = [];
        const waiters = new Set<() => void>();
        let buffer = '';
        let body = '';
        const ended = new Promise<void>((done) =>
          res.once('end', done).once('close', done),
        );
        res.on('data', (chunk: string) => {
          body += chunk;
          buffer += chunk;
          const blocks = buffer.split(/\r?\n\r?\n/);
          buffer = blocks.pop() ?? '';
          for (const block of blocks) {
            const fields: { id?: string; event: string; data: string[] } = {
              event: 'message',
              data: [],
            };
            for (const line of block.split(/\r?\n/)) {
              if (!line || line.startsWith(':')) continue;
              const colon = line.indexOf(':');
              const name = colon < 0 ? line : line.slice(0, colon);
              const value =
                colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (name === 'data') fields.data.push(value);
              else if (name === 'event') fields.event = value;
              else if (name === 'id') fields.id = value;
            }
            if (fields.data.length)
              events.push({
                id: fields.id,
                event: fields.event,
                data: fields.data.join('\n'),
              });
          }
          waiters.forEach((w) => w());
        });
        const stream: SseStream = {
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type']),
          get body() {
            return body;
          },
          events,
          ended,
          close: () => req?.destroy(),
          waitForEvents: (count, ms = 20_000) =>
            new Promise((ok, fail) => {
              const check = (): void => {
                if (events.length < count) return;
                waiters.delete(check);
                clearTimeout(timer);
                ok(events);
              };
              const timer = setTimeout(() => {
                waiters.delete(check);
                fail(
                  new Error(
                    `only ${events.length} of ${count} events after ${ms} ms: ${body}`,
                  ),
                );
              }, ms);
              waiters.add(check);
              check();
            }),
        };
        opened.add(stream);
        resolve(stream);
      },
    );
    req.on('error', reject);
  });
}

interface MetaData {
  taskId: string;
  status: string;
  result: unknown;
  exception?: { type: string; args: unknown[] };
}
const metaOf = (e: SseEvent): MetaData => JSON.parse(e.data) as MetaData;

/** `[a, a, b]` → `[a, b]` */
const distinct = (xs: string[]): string[] =>
  xs.filter((x, i) => i === 0 || xs[i - 1] !== x);

describe('demo app: GET /tasks/:id/events (SSE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-sse-'));
  let app: INestApplication;
  let base: string;
  let results: ResultBackendService;

  beforeAll(async () => {
    app = await startDemoApp({ RESULTS_DIR: dir, DEMO_STEP_MS: '300' });
    base = await app.getUrl();
    results = app.get(ResultBackendService);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows a demo task: PENDING → STARTED → PROGRESS → SUCCESS, then the stream ends', async () => {
    const taskId = 'sse-demo-1';
    const sse = await openSse(`${base}/tasks/${taskId}/events`);
    expect(sse.status).toBe(200);
    expect(sse.contentType).toMatch(/^text\/event-stream/);
    await sse.waitForEvents(1);
    expect(metaOf(sse.events[0]).status).toBe('PENDING');

    await request(base)
      .post('/demo/tasks')
      .send({ taskId, steps: 2 })
      .expect(202);
    await sse.ended;

    const metas = sse.events.map(metaOf);
    expect(sse.events.every((e) => e.event === 'message')).toBe(true);
    expect(sse.events.map((e) => e.id)).toEqual(
      sse.events.map((_, i) => String(i + 1)),
    );
    expect(metas.every((m) => m.taskId === taskId)).toBe(true);
    // one event per state change: PROGRESS 1/2 and 2/2 are two changes
    const steps = metas.map((m) =>
      m.status === 'PROGRESS'
        ? `PROGRESS ${JSON.stringify(m.result)}`
        : m.status,
    );
    expect(distinct(steps)).toEqual([
      'PENDING',
      'STARTED',
      'PROGRESS {"current":1,"total":2}',
      'PROGRESS {"current":2,"total":2}',
      'SUCCESS',
    ]);
    expect(metas.at(-1)?.result).toEqual({
      steps: 2,
      message: 'processed 2 items',
    });
    await waitUntil(() => results.watching === 0);
  });

  it('a failing demo task ends the stream with its FAILURE (exception in the data)', async () => {
    const res = await request(base)
      .post('/demo/tasks')
      .send({ outcome: 'failure', steps: 1 })
      .expect(202);
    const sse = await openSse(`${base}${res.body.links.events as string}`);
    await sse.ended;
    const last = metaOf(sse.events.at(-1) as SseEvent);
    expect(last.status).toBe('FAILURE');
    expect(last.exception).toMatchObject({
      type: 'ValueError',
      args: ['simulated failure after 1 steps'],
    });
  });

  it('a task that is already done: one event, then the end', async () => {
    await results.markAsDone('sse-done', 'ok');
    const sse = await openSse(`${base}/tasks/sse-done/events`);
    await sse.ended;
    expect(sse.events.map((e) => metaOf(e).status)).toEqual(['SUCCESS']);
  });

  it('an error while streaming: one `error` event, the stream ends, the app carries on', async () => {
    const sse = await openSse(`${base}/tasks/sse-broken/events`);
    await sse.waitForEvents(1);
    writeFileSync(join(dir, 'celery-task-meta-sse-broken'), '{"status": "SUCC');
    await sse.ended;
    const last = sse.events.at(-1) as SseEvent;
    expect(last.event).toBe('error');
    expect(JSON.parse(last.data)).toMatchObject({
      statusCode: 502,
      error: 'Bad Gateway',
      key: 'celery-task-meta-sse-broken',
    });
    await waitUntil(() => results.watching === 0);
    await request(base).get('/health').expect(200);
    await results.markAsDone('sse-after', 1);
    await request(base).get('/tasks/sse-after').expect(200);
  });

  it('a hostile id is a plain 400 (no stream is opened)', async () => {
    for (const id of ['..%2F..%2Fetc', 'a%00b', 'z'.repeat(300)]) {
      const sse = await openSse(`${base}/tasks/${id}/events`);
      await sse.ended;
      expect(sse.status).toBe(400);
      expect(sse.contentType).toMatch(/^application\/json/);
      expect(JSON.parse(sse.body)).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
      });
    }
  });

  it('a client that leaves releases its watcher', async () => {
    const sse = await openSse(`${base}/tasks/sse-left/events`);
    await sse.waitForEvents(1);
    await waitUntil(() => results.watching === 1);
    sse.close();
    await waitUntil(() => results.watching === 0);
  });

  it('works with a browser-style EventSource client', async () => {
    const { body } = await request(base)
      .post('/demo/tasks')
      .send({ steps: 1 })
      .expect(202);
    const statuses = await new Promise<string[]>((resolve, reject) => {
      const source = new EventSource(`${base}${body.links.events as string}`);
      const seen: string[] = [];
      const timer = setTimeout(() => {
        source.close();
        reject(new Error(`timed out after ${seen.join(',')}`));
      }, 20_000);
      source.onmessage = (e) => {
        const meta = JSON.parse(e.data) as MetaData;
        seen.push(meta.status);
        if (['SUCCESS', 'FAILURE', 'REVOKED'].includes(meta.status)) {
          clearTimeout(timer);
          source.close();
          resolve(seen);
        }
      };
    });
    expect(statuses.at(-1)).toBe('SUCCESS');
    expect(statuses).toContain('PROGRESS');
  });
});

describe('demo app shutdown with an open event stream', () => {
  it('ends the stream and closes cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-sse-stop-'));
    const app = await startDemoApp({ RESULTS_DIR: dir });
    try {
      const sse = await openSse(
        `${await app.getUrl()}/tasks/never-done/events`,
      );
      await sse.waitForEvents(1);
      await app.close();
      await sse.ended;
      const last = sse.events.at(-1) as SseEvent;
      expect(last.event).toBe('error');
      expect(JSON.parse(last.data)).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Result backend default is shutting down',
      });
    } finally {
      await app.close(); // idempotent: never left listening after a failed expectation
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function waitUntil(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
