import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BackendDisabledError,
  ImproperlyConfiguredError,
  ResultBackendClosedError,
  InjectResultBackend,
  ResultBackendModule,
  ResultBackendService,
  fromConfigService,
  getResultBackendToken,
  type ResultBackendModuleOptions,
} from '../libs/result-backend/src/index.js';
import { closesAfterEach } from './support/cleanup.js';

@Injectable()
class Consumer {
  constructor(
    readonly main: ResultBackendService,
    @InjectResultBackend('archive') readonly archive: ResultBackendService,
  ) {}
}

const ENV_KEYS = ['CELERY_RESULT_BACKEND', 'CELERY_RESULT_EXPIRES'];

describe('ResultBackendModule', () => {
  /** Modules a test compiled: closed after it, also when an expectation failed first. */
  const own = closesAfterEach();
  const dir = mkdtempSync(join(tmpdir(), 'rb-module-'));
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  afterEach(() => {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('forRoot provides the default instance by class and by token', async () => {
    const ref = own(
      await Test.createTestingModule({
        imports: [ResultBackendModule.forRoot({ url: 'cache+memory://' })],
      }).compile(),
    );
    const svc = ref.get(ResultBackendService);
    expect(ref.get(getResultBackendToken())).toBe(svc);
    expect(svc.kind).toBe('memory');
  });

  it('named instances inject with @InjectResultBackend(name)', async () => {
    const ref = own(
      await Test.createTestingModule({
        imports: [
          ResultBackendModule.forRoot({
            url: 'cache+memory://',
            isGlobal: true,
          }),
          ResultBackendModule.forRoot({
            name: 'archive',
            url: `file://${dir}`,
            isGlobal: true,
          }),
        ],
        providers: [Consumer],
      }).compile(),
    );
    const c = ref.get(Consumer);
    expect(c.main.kind).toBe('memory');
    expect(c.archive.kind).toBe('filesystem');
    expect(c.archive.name).toBe('archive');
    await c.archive.markAsDone('n1', 1);
    expect((await c.main.getTaskMeta('n1')).status).toBe('PENDING');
  });

  it('a duplicate name is an error', async () => {
    await expect(
      Test.createTestingModule({
        imports: [
          ResultBackendModule.forRoot({ name: 'x', url: 'cache+memory://' }),
          ResultBackendModule.forRoot({ name: 'x', url: `file://${dir}` }),
        ],
      }).compile(),
    ).rejects.toThrow(/already registered/);
  });

  it('forRootAsync with useFactory and ConfigService', async () => {
    const ref = own(
      await Test.createTestingModule({
        imports: [
          ConfigModule.forRoot({
            ignoreEnvFile: true,
            load: [() => ({ RESULTS: `file://${dir}` })],
          }),
          ResultBackendModule.forRootAsync({
            imports: [ConfigModule],
            inject: [ConfigService],
            useFactory: (c: ConfigService): ResultBackendModuleOptions => ({
              url: c.get<string>('RESULTS'),
            }),
          }),
        ],
      }).compile(),
    );
    expect(ref.get(ResultBackendService).kind).toBe('filesystem');
  });

  it('forRootAsync with useClass', async () => {
    @Injectable()
    class Opts {
      createResultBackendOptions(): ResultBackendModuleOptions {
        return { url: 'cache+memory://', expires: 60 };
      }
    }
    const ref = own(
      await Test.createTestingModule({
        imports: [ResultBackendModule.forRootAsync({ useClass: Opts })],
      }).compile(),
    );
    expect(ref.get(ResultBackendService).expires).toBe(60);
  });

  it('forRootAsync with useExisting', async () => {
    @Injectable()
    class Opts {
      createResultBackendOptions(): ResultBackendModuleOptions {
        return { url: 'cache+memory://' };
      }
    }
    @Module({ providers: [Opts], exports: [Opts] })
    class OptsModule {}
    const ref = own(
      await Test.createTestingModule({
        imports: [
          ResultBackendModule.forRootAsync({
            imports: [OptsModule],
            useExisting: Opts,
          }),
        ],
      }).compile(),
    );
    expect(ref.get(ResultBackendService).kind).toBe('memory');
  });

  it.each([true, false])(
    'forRootAsync + fromConfigService reads @nestjs/config `load:` values (isGlobal %s)',
    async (isGlobal) => {
      const config = ConfigModule.forRoot({
        isGlobal,
        ignoreEnvFile: true,
        load: [
          () => ({
            CELERY_RESULT_BACKEND: `file://${dir}`,
            CELERY_RESULT_EXPIRES: '120',
          }),
        ],
      });
      const ref = own(
        await Test.createTestingModule({
          imports: [
            config,
            ResultBackendModule.forRootAsync({
              imports: isGlobal ? [] : [config],
              inject: [ConfigService],
              useFactory: (c: ConfigService) =>
                fromConfigService(c, { resultCacheMax: 10 }),
            }),
          ],
        }).compile(),
      );
      const svc = ref.get(ResultBackendService);
      expect(svc.kind).toBe('filesystem');
      expect(svc.expires).toBe(120);
    },
  );

  it('forRoot() never looks ConfigService up: only options and process.env', async () => {
    delete process.env.CELERY_RESULT_BACKEND;
    const build = Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          load: [() => ({ CELERY_RESULT_BACKEND: 'cache+memory://' })],
        }),
        ResultBackendModule.forRoot(),
      ],
    }).compile();
    await expect(build).rejects.toThrow(/fromConfigService/);
  });

  it('falls back to the environment', async () => {
    process.env.CELERY_RESULT_BACKEND = 'cache+memory://';
    process.env.CELERY_RESULT_EXPIRES = 'none';
    const ref = own(
      await Test.createTestingModule({
        imports: [ResultBackendModule.forRoot()],
      }).compile(),
    );
    const svc = ref.get(ResultBackendService);
    expect(svc.kind).toBe('memory');
    expect(svc.expires).toBeNull();
  });

  it('explicit options win over the environment', async () => {
    process.env.CELERY_RESULT_BACKEND = 'cache+memory://';
    const ref = own(
      await Test.createTestingModule({
        imports: [ResultBackendModule.forRoot({ url: `file://${dir}` })],
      }).compile(),
    );
    expect(ref.get(ResultBackendService).kind).toBe('filesystem');
  });

  it('fails at startup without a backend, naming the setting', async () => {
    delete process.env.CELERY_RESULT_BACKEND;
    const err = await Test.createTestingModule({
      imports: [ResultBackendModule.forRoot()],
    })
      .compile()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImproperlyConfiguredError);
    expect((err as Error).message).toContain('CELERY_RESULT_BACKEND');
  });

  it('a bad URL fails at startup without leaking the password', async () => {
    const err = await Test.createTestingModule({
      imports: [
        ResultBackendModule.forRoot({ url: 'bogus://user:s3cr3t@host/0' }),
      ],
    })
      .compile()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImproperlyConfiguredError);
    expect((err as Error).message).not.toContain('s3cr3t');
  });

  it('disabled:// and required:false give a backend whose every call fails clearly', async () => {
    delete process.env.CELERY_RESULT_BACKEND;
    for (const opts of [{ url: 'disabled://' }, { required: false }]) {
      const ref = own(
        await Test.createTestingModule({
          imports: [ResultBackendModule.forRoot(opts)],
        }).compile(),
      );
      const svc = ref.get(ResultBackendService);
      expect(svc.kind).toBe('disabled');
      await expect(svc.getTaskMeta('x')).rejects.toBeInstanceOf(
        BackendDisabledError,
      );
      await expect(svc.markAsDone('x', 1)).rejects.toThrow(
        /No result backend is configured/,
      );
    }
  });

  it('closes the store on app shutdown, idempotently', async () => {
    const ref = own(
      await Test.createTestingModule({
        imports: [ResultBackendModule.forRoot({ url: `file://${dir}` })],
      }).compile(),
    );
    const app = ref.createNestApplication();
    await app.init();
    const svc = app.get(ResultBackendService);
    const pending = svc.waitFor('never-done').catch((e: unknown) => e);
    await app.close();
    expect(await pending).toBeInstanceOf(ResultBackendClosedError);
    await expect(svc.close()).resolves.toBeUndefined();
  });
});
