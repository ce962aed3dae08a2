/**
 * ResultBackendService over `cache+memcached://` (two real memcached servers): the shared
 * service contract, which also replays issue 13's faults (test/support/fault-contract.ts).
 */
import { describeWithServer } from './support/skip-gate.js';
import { runServiceContract } from './support/service-contract.js';
import {
  startMemcacheds,
  type MemcachedTestServer,
} from './support/memcached-server.js';

describeWithServer(['memcached'], 'service on cache+memcached://', () => {
  let mcs: MemcachedTestServer[] = [];

  beforeAll(async () => {
    mcs = await startMemcacheds(2);
  });
  afterAll(async () => {
    await Promise.all(mcs.map((m) => m.stop('SIGTERM')));
  });

  runServiceContract(() => ({
    url: `cache+memcached://${mcs.map((m) => m.address).join(';')}/`,
  }));
});
