import { parseAlert } from '../../../src/signals/alert-schema';
import { findPlaceholder } from '../../../src/signals/alert-placeholder';
import { ALERT_SHAPE_LIMITS, shapeProblem } from '../../../src/signals/alert-shape';

const OPTS = { defaultAccount: 'main', accounts: ['main'] };
const BUY = { symbol: 'BTCUSDT', action: 'buy', quantity: 0.01 };

const issuesOf = (body: unknown) => {
  const result = parseAlert(body, OPTS);
  return result.ok ? [] : result.issues;
};

/** `{ a: { a: … { a: leaf } } }`, `levels` objects deep below the body. */
const nested = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

describe('findPlaceholder', () => {
  it.each([
    ['{{close}}', '{{close}}'],
    ['at {{close}} now', '{{close}}'],
    ['{{{close}}', '{{{close}}'],
    ['{{a}b}} {{c}}', '{{c}}'],
    ['{{ticker', undefined],
    ['{{a} }}', undefined],
    ['65000.5', undefined],
  ])('when the text is %p, then it finds %p (as /\\{\\{[^}]*\\}\\}/ would)', (text, found) => {
    expect(findPlaceholder(text)).toBe(found);
    expect(findPlaceholder(text)).toBe(/\{\{[^}]*\}\}/.exec(text)?.[0]);
  });

  // Adversarial input for the backtracking regex this replaces: quadratic there (about 10^11 steps for
  // this length, far past the test's timeout), linear here. Counted, not timed: the test fails by timing out.
  it('when the text is 200,000 `{` with no `}}`, then the search ends (linear time)', () => {
    expect(findPlaceholder('{{'.repeat(100_000) + '}')).toBeUndefined();
    expect(findPlaceholder('{'.repeat(200_000) + '}x}')).toBeUndefined();
  });

  it('when adversarial text fills every numeric and keyword field, then the alert is refused field by field', () => {
    const evil = '{{'.repeat(100_000);
    const issues = issuesOf({ ...BUY, price: evil, action: evil, quantity: `{{close${'}'.repeat(3)}` });
    expect(issues.map((i) => i.path).sort()).toEqual(['action', 'price', 'quantity']);
  });
});

describe('body shape bounds', () => {
  it('when meta nests to the limit, then the alert passes', () => {
    // The body is level 1 and meta level 2: meta may be maxDepth - 1 objects deep.
    expect(issuesOf({ ...BUY, meta: nested(ALERT_SHAPE_LIMITS.maxDepth - 1) })).toEqual([]);
  });

  it('when meta nests one level deeper, then 400 naming the deepest path', () => {
    expect(issuesOf({ ...BUY, meta: nested(ALERT_SHAPE_LIMITS.maxDepth) })).toEqual([
      {
        path: `meta${'.a'.repeat(ALERT_SHAPE_LIMITS.maxDepth - 1)}`,
        message: `nests deeper than ${ALERT_SHAPE_LIMITS.maxDepth} levels`,
      },
    ]);
  });

  it('when a field anywhere holds deep arrays (JSON of thousands of [), then it is refused, not overflowed', () => {
    const deep = JSON.parse('['.repeat(5000) + ']'.repeat(5000)) as unknown;
    const issues = issuesOf({ ...BUY, meta: { x: deep } });
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toMatch(/^meta\.x(\.0)+$/);
    expect(issuesOf({ ...BUY, comment: deep })[0].message).toMatch(/nests deeper/);
  });

  it('when an array is longer than the limit, then 400 naming it', () => {
    const long = Array.from({ length: ALERT_SHAPE_LIMITS.maxArrayLength + 1 }, () => 0);
    expect(issuesOf({ ...BUY, meta: { list: long } })).toEqual([
      { path: 'meta.list', message: `must hold at most ${ALERT_SHAPE_LIMITS.maxArrayLength} items` },
    ]);
    expect(shapeProblem({ list: long.slice(1) })).toBeUndefined();
  });
});

describe('numeric strings', () => {
  it.each(['0x10', '0o17', '0b11', 'Infinity', '1_000', '1 0', '--1', '1e', '.'])(
    'when quantity is %p, then it is not a number',
    (text) => {
      expect(issuesOf({ ...BUY, quantity: text })).toEqual([
        { path: 'quantity', message: 'must be a number' },
      ]);
    },
  );

  it.each([
    ['16', 16],
    [' 0.5 ', 0.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e-3', 0.001],
    ['+2', 2],
  ])('when quantity is %p, then it is %p', (text, value) => {
    const result = parseAlert({ ...BUY, quantity: text }, OPTS);
    expect(result.ok && result.alert.quantity).toBe(value);
  });
});

describe('"did you mean" hints', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'when the body has %p, then it is refused as unknown without a hint from Object.prototype',
    (key) => {
      const body = JSON.parse(`{"symbol":"BTCUSDT","action":"buy","quantity":1,"${key}":1}`) as unknown;
      expect(issuesOf(body)).toEqual([
        { path: key, message: 'unknown field; free-form data belongs under "meta"' },
      ]);
    },
  );
});
