import { formatDateDone, parseDateDone } from './date-done.js';

describe('formatDateDone', () => {
  it('writes naive UTC with microseconds, dropping a zero fraction entirely', () => {
    expect(formatDateDone(new Date(Date.UTC(2024, 4, 1, 12, 0, 0, 123)))).toBe(
      '2024-05-01T12:00:00.123000',
    );
    expect(formatDateDone(new Date(Date.UTC(2024, 4, 1, 12, 0, 0, 0)))).toBe(
      '2024-05-01T12:00:00',
    );
    const early = new Date(0);
    early.setUTCFullYear(5, 0, 1);
    expect(formatDateDone(early)).toBe('0005-01-01T00:00:00');
  });

  it('refuses dates Python cannot hold', () => {
    expect(() => formatDateDone(new Date(NaN))).toThrow(TypeError);
    expect(() => formatDateDone(new Date(Date.UTC(10000, 0, 1)))).toThrow(
      TypeError,
    );
  });
});

describe('parseDateDone', () => {
  it.each([
    // the naive 5.2.6 form, read as UTC, with or without microseconds
    ['2024-05-01T12:00:00.123456', '2024-05-01T12:00:00.123Z'],
    ['2024-05-01T12:00:00', '2024-05-01T12:00:00.000Z'],
    ['2024-05-01 12:00:00.5', '2024-05-01T12:00:00.500Z'],
    // Z and offsets (Celery 5.5+)
    ['2024-05-01T12:00:00.063201+00:00', '2024-05-01T12:00:00.063Z'],
    ['2024-05-01T12:00:00Z', '2024-05-01T12:00:00.000Z'],
    ['2024-05-01T12:00:00+02:00', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T12:00:00-0530', '2024-05-01T17:30:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseDateDone(text)?.toISOString()).toBe(iso);
  });

  it('gives null for garbage and never throws', () => {
    for (const bad of [
      null,
      undefined,
      '',
      'yesterday',
      '2024-13-01T00:00:00',
      '2024-02-30T00:00:00',
      '2024-05-01T25:00:00',
      '2024-05-01T12:00:00+99:00',
      '2024-05-01T12:00:00junk',
    ]) {
      expect(parseDateDone(bad)).toBeNull();
    }
    expect(parseDateDone(42 as unknown as string)).toBeNull();
  });

  it('round-trips with formatDateDone at millisecond precision', () => {
    const date = new Date(Date.UTC(2026, 10, 21, 9, 29, 10, 5));
    expect(parseDateDone(formatDateDone(date))).toEqual(date);
  });
});
