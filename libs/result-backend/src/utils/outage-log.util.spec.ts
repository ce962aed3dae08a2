import { OutageLog, outageLogFor, outageLogOf } from './outage-log.util.js';

/** Keeps every line with its level. */
function recorder(): {
  lines: string[];
  logger: {
    log: (m: unknown) => void;
    warn: (m: unknown) => void;
    error: (m: unknown) => void;
    debug: (m: unknown) => void;
  };
} {
  const lines: string[] = [];
  const at =
    (level: string) =>
    (m: unknown): void => {
      lines.push(`${level} ${String(m)}`);
    };
  return {
    lines,
    logger: {
      log: at('LOG'),
      warn: at('WARN'),
      error: at('ERROR'),
      debug: at('DEBUG'),
    },
  };
}

const loud = (lines: string[]): string[] =>
  lines.filter((l) => !l.startsWith('DEBUG'));

describe('OutageLog', () => {
  it('logs one warning when the first part goes down and one line when the last is up', () => {
    const { lines, logger } = recorder();
    const log = new OutageLog(logger, 'redis://127.0.0.1:6379/0');
    log.down('connection', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    log.down('connection', new Error('connect ECONNREFUSED again'));
    log.down('subscriber', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    log.down('watch reads', new Error('no connection within 5000 ms'));
    log.up('connection');
    log.up('watch reads');
    expect(log.failing).toBe(true);
    expect(loud(lines)).toEqual([
      'WARN Result store redis://127.0.0.1:6379/0 unavailable (connection: connect ECONNREFUSED 127.0.0.1:6379); retrying, one line when it is back',
    ]);
    log.up('subscriber');
    expect(log.failing).toBe(false);
    expect(loud(lines)).toHaveLength(2);
    expect(loud(lines)[1]).toMatch(
      /^LOG Result store redis:\/\/127\.0\.0\.1:6379\/0 reachable again after \d+ ms$/,
    );
    // Part transitions are debug detail: three parts down, three up.
    expect(lines.filter((l) => l.startsWith('DEBUG'))).toHaveLength(6);
  });

  it('logs each outage once: a second outage after recovery logs again', () => {
    const { lines, logger } = recorder();
    const log = new OutageLog(logger, 'cache+memcached://127.0.0.1:11211/');
    for (let outage = 0; outage < 2; outage++) {
      for (let attempt = 0; attempt < 5; attempt++)
        log.down('watch reads', 'ECONNREFUSED');
      log.up('watch reads');
      log.up('watch reads');
    }
    expect(loud(lines).map((l) => l.split(' ')[0])).toEqual([
      'WARN',
      'LOG',
      'WARN',
      'LOG',
    ]);
  });

  it('up() of a part that was never down logs nothing', () => {
    const { lines, logger } = recorder();
    new OutageLog(logger, 'file:///tmp/results').up('watch reads');
    expect(lines).toEqual([]);
  });

  it('is shared through the store context and found on the store', () => {
    const { logger } = recorder();
    const shared = new OutageLog(logger, 'x');
    expect(outageLogFor({ logger, outage: shared }, 'x')).toBe(shared);
    const own = outageLogFor({ logger }, 'y');
    expect(own).toBeInstanceOf(OutageLog);
    expect(outageLogOf({ outage: shared })).toBe(shared);
    expect(outageLogOf({})).toBeUndefined();
    expect(outageLogOf({ outage: 'not a log' })).toBeUndefined();
  });
});
