import type { EtagEntry } from './s3-etag.cache.js';
import { S3GetGate } from './s3-get.gate.js';

describe('S3GetGate: one GET per key, fresh after a write', () => {
  const entry = (n: number): EtagEntry => ({ etag: `"${n}"`, body: `v${n}` });

  it('joins a running GET, but a read after a write waits for it and starts one fresh GET', async () => {
    let version = 1;
    const pending: (() => void)[] = [];
    let running = 0;
    let peak = 0;
    let sent = 0;
    const gate = new S3GetGate(
      4,
      async () => {
        sent++;
        running++;
        peak = Math.max(peak, running);
        const seen = version; // the bytes at the moment the request is sent
        await new Promise<void>((r) => pending.push(r));
        running--;
        return entry(seen);
      },
      () => false,
    );
    const a = gate.read('k');
    const b = gate.read('k'); // joins
    await Promise.resolve();
    expect(sent).toBe(1);
    version = 2;
    gate.forget('k'); // the running GET may hold version 1
    const c = gate.read('k');
    const d = gate.read('k'); // joins the fresh one
    pending.shift()?.();
    expect(await a).toEqual(entry(1));
    expect(await b).toEqual(entry(1));
    await new Promise((r) => setImmediate(r));
    expect(sent).toBe(2);
    pending.shift()?.();
    expect(await c).toEqual(entry(2));
    expect(await d).toEqual(entry(2));
    expect(peak).toBe(1);
  });

  it('a write before the queued GET is sent needs no second GET', async () => {
    let sent = 0;
    const gate = new S3GetGate(
      1,
      () => {
        sent++;
        return Promise.resolve(entry(sent));
      },
      () => false,
    );
    const first = gate.read('a'); // takes the only slot
    const queued = gate.read('b');
    gate.forget('b'); // not sent yet: it will see the write
    const again = gate.read('b');
    await Promise.all([first, queued, again]);
    expect(sent).toBe(2);
    expect(await again).toBe(await queued);
  });
});
