import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ResultBackendService } from 'nestjs-celery-result-backend';
import { AppModule } from '../src/app.module.js';

describe('app (e2e)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const ref = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();
    app = ref.createNestApplication();
    await app.init();
  });
  afterAll(() => app.close());

  it('GET /health is up', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { results: { status: 'up' } },
    });
  });

  it('GET /tasks/:id/result waits for the result; /tasks/:id shows no internals', async () => {
    const pending = request(app.getHttpServer()).get('/tasks/t1/result');
    setTimeout(
      () => void app.get(ResultBackendService).markAsDone('t1', { n: 1 }),
      100,
    );
    const res = await pending.expect(200);
    expect(res.body).toEqual({ result: { n: 1 } });
    const meta = await request(app.getHttpServer())
      .get('/tasks/t1')
      .expect(200);
    expect(meta.body).toMatchObject({ taskId: 't1', status: 'SUCCESS' });
    expect(Object.keys(meta.body)).not.toContain('raw');
  });

  it('an unknown id times out as 202 through the exception filter', async () => {
    const res = await request(app.getHttpServer())
      .get('/tasks/never/result?timeout=100')
      .expect(202);
    expect(res.body).toMatchObject({ statusCode: 202, ready: false });
  });
});
