import { jest } from '@jest/globals';
import { Subject } from 'rxjs';
import { BackendUnavailableError } from '../errors/backend-unavailable.error.js';
import type {
  ResultStore,
  StoreEvent,
} from '../stores/result-store.interface.js';
import { WatchEngine } from './watch-engine.js';

/**
 * A permanent BackendUnavailableError (a refused configuration) from a read or from the push
 * subscription ends the watch with that error, for any store; an outage does not.
 * Fake store (pure unit test; the Redis e2e spec runs it against a real server).
 */
const refused = new BackendUnavailableError('fake://', 'WRONGPASS', {
  permanent: true,
});
const outage = new BackendUnavailableError('fake://', 'ECONNREFUSED');

function failingStore(
  readError: Error,
  addError?: Error,
): ResultStore & { reads: number } {
  const store = {
    kind: 'fake',
    description: 'fake://',
    autoExpires: true,
    reads: 0,
    get: () => Promise.reject(readError),
    mget: () => {
      store.reads++;
      return Promise.reject(readError);
    },
    set: async () => 'written' as const,
    delete: async () => undefined,
    ping: async () => undefined,
    close: async () => undefined,
    push:
      addError === undefined
        ? undefined
        : {
            events: new Subject<StoreEvent>(),
            add: () => Promise.reject(addError),
            remove: async () => undefined,
          },
  };
  return store;
}

const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };

/** Watch one key until it errors or `turns` event-loop turns passed; the error or undefined. */
async function errorOf(store: ResultStore, turns = 5): Promise<unknown> {
  const engine = new WatchEngine(store, 10_000, logger);
  let error: unknown;
  const stop = engine.watch('k', {
    next: () => undefined,
    error: (e) => (error = e),
  });
  for (let i = 0; i < turns && error === undefined; i++)
    await new Promise((r) => setImmediate(r));
  stop();
  await engine.close();
  return error;
}

describe('WatchEngine: permanent errors end the watch', () => {
  it('a permanent BackendUnavailableError from the read ends it with that error', async () => {
    expect(await errorOf(failingStore(refused))).toBe(refused);
  });

  it('an outage (permanent: false) keeps the watch waiting for the next poll', async () => {
    const store = failingStore(outage);
    expect(await errorOf(store)).toBeUndefined();
    expect(store.reads).toBe(1);
  });

  it('a push store whose subscription is refused ends it with that error', async () => {
    // The read is an outage only: the subscription's refusal alone must end the watch.
    expect(await errorOf(failingStore(outage, refused))).toBe(refused);
  });

  it('a push subscription outage keeps the watch', async () => {
    expect(await errorOf(failingStore(outage, outage))).toBeUndefined();
  });
});
