/**
 * The memcached client's reply timeout, set through the module options: against a server that
 * accepts connections and never answers (a black hole on a free loopback port), a read fails
 * with BackendUnavailableError naming the configured bound, and the app closes cleanly.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  BackendUnavailableError,
  ResultBackendModule,
  ResultBackendService,
} from 'nestjs-celery-result-backend';

describe('memcached timeoutMs from module options', () => {
  let blackHole: Server;
  let port: number;
  const sockets = new Set<Socket>();
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    blackHole = createServer((socket) => {
      sockets.add(socket); // accepted and read, never answered
      socket.on('close', () => sockets.delete(socket));
      socket.resume();
    });
    await new Promise<void>((res) => blackHole.listen(0, '127.0.0.1', res));
    port = (blackHole.address() as { port: number }).port;
  });

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((res) => blackHole.close(() => res()));
  });

  it('a read from a server that never answers fails after the configured bound', async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        ResultBackendModule.forRoot({
          url: `cache+memcached://127.0.0.1:${port}/`,
          memcached: { timeoutMs: 300, retryDelayMs: 50 },
        }),
      ],
    }).compile();
    await moduleRef.init();
    const svc = moduleRef.get(ResultBackendService);
    const err: unknown = await svc.getTaskMeta('never-answered').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toContain('no reply within 300 ms');
    expect(sockets.size).toBeGreaterThan(0); // it did reach the server
  });
});
