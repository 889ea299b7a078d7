import { freshnessProblem, parseTimestamp } from '../../../src/signals/timestamp';

const MAY_1 = Date.UTC(2024, 4, 1, 12, 0, 0);

describe('parseTimestamp', () => {
  it.each([
    ['ISO-8601 with Z ({{timenow}})', '2024-05-01T12:00:00Z', MAY_1],
    ['ISO-8601 with a lower-case z', '2024-05-01t12:00:00z', MAY_1],
    ['ISO-8601 without seconds', '2024-05-01T12:00Z', MAY_1],
    ['ISO-8601 with milliseconds', '2024-05-01T12:00:00.250Z', MAY_1 + 250],
    ['ISO-8601 with +hh:mm', '2024-05-01T14:00:00+02:00', MAY_1],
    ['ISO-8601 with -hhmm', '2024-05-01T07:00:00-0500', MAY_1],
    ['unix seconds as a number', 1714564800, MAY_1],
    ['unix seconds as a string', '1714564800', MAY_1],
    ['unix seconds with blanks', ' 1714564800 ', MAY_1],
    ['fractional unix seconds', '1714564800.5', MAY_1 + 500],
    ['unix milliseconds as a number', 1714564800250, MAY_1 + 250],
    ['unix milliseconds as a string', '1714564800250', MAY_1 + 250],
  ])('when the value is %s (%j), then it is epoch ms %p', (_name, value, expected) => {
    expect(parseTimestamp(value)).toBe(expected);
  });

  it('when a number is exactly 1e11, then it is read as seconds; just above, as milliseconds', () => {
    expect(parseTimestamp(1e11)).toBe(1e14);
    expect(parseTimestamp(1e11 + 1)).toBe(1e11 + 1);
  });

  it.each([
    ['a date without time', '2024-05-01'],
    ['a date and time without zone', '2024-05-01T12:00:00'],
    ['a month and day', 'May 1'],
    ['words', 'yesterday'],
    ['an impossible month', '2024-13-01T00:00:00Z'],
    ['an unreplaced placeholder', '{{timenow}}'],
    ['an empty string', ''],
    ['a negative number string', '-5'],
    ['exponent notation', '1e9'],
    ['zero', 0],
    ['a negative number', -1714564800],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['null', null],
    ['a boolean', true],
    ['an object', { t: 1 }],
  ])('when the value is %s, then it is not a timestamp', (_name, value) => {
    expect(parseTimestamp(value)).toBeUndefined();
  });
});

describe('freshnessProblem', () => {
  const NOW = MAY_1;
  const TOLERANCE = 300;

  it.each([
    ['exactly now', 0, undefined],
    ['exactly the tolerance in the past', -300_000, undefined],
    ['exactly the tolerance in the future', 300_000, undefined],
    ['1 ms beyond the tolerance in the past', -300_001, 'timestamp_stale'],
    ['1 ms beyond the tolerance in the future', 300_001, 'timestamp_in_future'],
    ['an hour old', -3_600_000, 'timestamp_stale'],
    ['an hour ahead', 3_600_000, 'timestamp_in_future'],
  ])('when the timestamp is %s, then the problem is %p', (_name, offsetMs, expected) => {
    expect(freshnessProblem(NOW + offsetMs, NOW, TOLERANCE)).toBe(expected);
  });

  it('when the tolerance is smaller, then the same distance becomes a problem', () => {
    expect(freshnessProblem(NOW - 60_000, NOW, 120)).toBeUndefined();
    expect(freshnessProblem(NOW - 60_000, NOW, 30)).toBe('timestamp_stale');
  });
});
