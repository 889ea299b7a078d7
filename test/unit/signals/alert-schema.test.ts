import { ACTIONS, type Alert, QUANTITY_TYPES, type ValidationIssue } from '../../../src/signals/alert';
import { parseAlert } from '../../../src/signals/alert-schema';

const OPTS = { defaultAccount: 'main', accounts: ['main', 'alt'] };
const BUY = { symbol: 'BTCUSDT', action: 'buy', quantity: 0.01 };

function accept(body: unknown, opts: Parameters<typeof parseAlert>[1] = OPTS): Alert {
  const result = parseAlert(body, opts);
  if (!result.ok) throw new Error(`expected the alert to pass, got ${JSON.stringify(result.issues)}`);
  return result.alert;
}

function refuse(body: unknown, opts: Parameters<typeof parseAlert>[1] = OPTS): ValidationIssue[] {
  const result = parseAlert(body, opts);
  if (result.ok) throw new Error(`expected the alert to be refused, got ${JSON.stringify(result.alert)}`);
  return result.issues;
}

/** The one issue of a refused alert (fails when there are more or none). */
function onlyIssue(body: unknown): ValidationIssue {
  const issues = refuse(body);
  expect(issues).toHaveLength(1);
  return issues[0];
}

const placeholderText = (placeholder: string) => `TradingView did not replace ${placeholder}`;

describe('parseAlert', () => {
  describe('a complete v1 alert', () => {
    it('when every field is sent, then each is normalised into the alert', () => {
      const alert = accept({
        token: 'tok-123',
        id: 'order-7-2024-05-01T12:00:00Z',
        timestamp: '2024-05-01T12:00:00Z',
        account: 'alt',
        symbol: 'BINANCE:BTCUSDT.P',
        action: 'long',
        type: 'limit',
        price: '65000.5',
        quantity: '2.5',
        quantityType: 'quote',
        leverage: '10',
        marginMode: 'isolated',
        reduceOnly: 'false',
        postOnly: true,
        timeInForce: 'gtc',
        takeProfit: { percent: '3' },
        stopLoss: { price: 60000 },
        maxLagSeconds: '30',
        comment: 'breakout',
        meta: { strategy: 'ema-cross', bar: { open: 1, close: 2 } },
      });
      expect(alert).toEqual({
        idempotencyKey: 'order-7-2024-05-01T12:00:00Z',
        timestamp: Date.UTC(2024, 4, 1, 12, 0, 0),
        account: 'alt',
        symbol: 'BINANCE:BTCUSDT.P',
        action: 'long',
        orderType: 'limit',
        price: 65000.5,
        quantity: 2.5,
        quantityType: 'quote',
        leverage: 10,
        marginMode: 'isolated',
        reduceOnly: false,
        postOnly: true,
        timeInForce: 'GTC',
        takeProfit: { percent: 3 },
        stopLoss: { price: 60000 },
        maxLagSeconds: 30,
        comment: 'breakout',
        meta: { strategy: 'ema-cross', bar: { open: 1, close: 2 } },
      });
    });

    it('when only symbol, action and quantity are sent, then account, orderType and quantityType take their defaults', () => {
      expect(accept(BUY)).toEqual({
        account: 'main',
        symbol: 'BTCUSDT',
        action: 'buy',
        orderType: 'market',
        quantity: 0.01,
        quantityType: 'base',
      });
    });

    it('when a target positionSize is sent, then it is kept signed and needs no action or quantity', () => {
      expect(accept({ symbol: 'BTCUSDT', positionSize: '-0.5' })).toEqual({
        account: 'main',
        symbol: 'BTCUSDT',
        orderType: 'market',
        quantityType: 'base',
        positionSize: -0.5,
      });
      expect(accept({ symbol: 'BTCUSDT', positionSize: 0 }).positionSize).toBe(0);
    });
  });

  describe('numbers', () => {
    it.each([
      ['price', ' 65000.5 ', 65000.5],
      ['quantity', '0.01', 0.01],
      ['quantity', '1e-3', 0.001],
      ['positionSize', '-3', -3],
      ['leverage', '25', 25],
      ['maxLagSeconds', '45', 45],
    ] as const)('when %s is the string %j, then it becomes the number %p', (field, value, expected) => {
      const alert = accept({ ...BUY, [field]: value }) as unknown as Record<string, unknown>;
      expect(alert[field]).toBe(expected);
    });

    it.each([
      ['quantity', 'abc'],
      ['quantity', ''],
      ['price', '   '],
      ['price', 'NaN'],
      ['leverage', 'Infinity'],
      ['maxLagSeconds', '12s'],
    ])('when %s is %j, then it is refused as not a number', (field, value) => {
      expect(onlyIssue({ ...BUY, [field]: value })).toEqual({ path: field, message: 'must be a number' });
    });

    it.each([
      ['quantity', 0],
      ['quantity', '-0.01'],
      ['price', -1],
      ['maxLagSeconds', 0],
    ])('when %s is %j, then it must be greater than 0', (field, value) => {
      expect(onlyIssue({ ...BUY, [field]: value })).toEqual({
        path: field,
        message: 'must be greater than 0',
      });
    });

    it.each([
      [1, undefined],
      [500, undefined],
      [0.5, 'must be at least 1'],
      [501, 'must be at most 500'],
    ])('when leverage is %p, then the answer is %p', (leverage, problem) => {
      const result = parseAlert({ ...BUY, leverage }, OPTS);
      if (problem === undefined) expect(result).toMatchObject({ ok: true, alert: { leverage } });
      else expect(result).toEqual({ ok: false, issues: [{ path: 'leverage', message: problem }] });
    });

    // Regression guard: z.union([z.number(), z.string()]) answers a boolean with zod's generic "Invalid input",
    // which does not say what is wrong.
    it('when quantity is a boolean, then the message says it must be a number', () => {
      expect(onlyIssue({ ...BUY, quantity: true })).toEqual({
        path: 'quantity',
        message: 'must be a number',
      });
    });
  });

  describe('unreplaced TradingView placeholders', () => {
    it.each([
      ['price', '{{close}}', '{{close}}'],
      ['quantity', '{{strategy.order.contracts}}', '{{strategy.order.contracts}}'],
      ['positionSize', '{{strategy.position_size}}', '{{strategy.position_size}}'],
      ['leverage', ' {{plot_0}} ', '{{plot_0}}'],
      ['action', '{{strategy.order.action}}', '{{strategy.order.action}}'],
      ['quantityType', '{{quantity_type}}', '{{quantity_type}}'],
      ['marginMode', '{{margin}}', '{{margin}}'],
      ['type', '{{order_type}}', '{{order_type}}'],
      ['symbol', '{{ticker}}', '{{ticker}}'],
      ['symbol', '{{exchange}}:{{ticker}}', '{{exchange}}'],
    ])('when %s holds %j, then the issue names the placeholder %s', (field, value, placeholder) => {
      const issue = onlyIssue({ ...BUY, [field]: value });
      expect(issue.path).toBe(field);
      expect(issue.message).toContain(placeholderText(placeholder));
      expect(issue.message).toContain('{{strategy.*}}');
    });

    it('when sentiment holds {{strategy.market_position}}, then the issue names the placeholder', () => {
      const issue = onlyIssue({ symbol: 'BTCUSDT', sentiment: '{{strategy.market_position}}' });
      expect(issue).toEqual({
        path: 'sentiment',
        message: expect.stringContaining(placeholderText('{{strategy.market_position}}')),
      });
    });

    it('when the ticker alias holds {{ticker}}, then the issue is reported on symbol', () => {
      const issue = onlyIssue({ ticker: '{{ticker}}', action: 'buy', quantity: 1 });
      expect(issue).toEqual({
        path: 'symbol',
        message: expect.stringContaining(placeholderText('{{ticker}}')),
      });
    });

    it('when several fields hold placeholders, then each is reported', () => {
      const issues = refuse({
        symbol: 'X',
        action: '{{strategy.order.action}}',
        quantity: '{{a}}',
        price: '{{b}}',
      });
      expect(issues.map((i) => i.path).sort()).toEqual(['action', 'price', 'quantity']);
    });

    // Regression guard: keyword() lowercases the value before building the message, so a mis-cased placeholder
    // (`{{Strategy.Order.Action}}`, which TradingView does not replace) is quoted back in its correct spelling
    // and the user cannot see the typo.
    it('when a keyword holds a mis-cased placeholder, then the message quotes it as it was sent', () => {
      const issue = onlyIssue({ ...BUY, action: '{{Strategy.Order.Action}}' });
      expect(issue.message).toContain(placeholderText('{{Strategy.Order.Action}}'));
    });
  });

  describe('aliases', () => {
    it.each([
      [
        { ticker: 'ETHUSDT', action: 'buy', quantity: 1 },
        { symbol: 'ETHUSDT', quantity: 1 },
      ],
      [
        { symbol: 'ETHUSDT', action: 'buy', amount: '2' },
        { symbol: 'ETHUSDT', quantity: 2 },
      ],
      [
        { symbol: 'ETHUSDT', action: 'buy', contracts: 3 },
        { symbol: 'ETHUSDT', quantity: 3 },
      ],
      [
        { symbol: 'ETHUSDT', action: 'buy', quantity: 1, orderType: 'Limit', price: 10 },
        { orderType: 'limit', price: 10 },
      ],
      [
        { symbol: 'ETHUSDT', action: 'buy', quantity: 1, type: 'LIMIT', price: 10 },
        { orderType: 'limit', price: 10 },
      ],
    ])('when the alias in %j is used, then the alert holds %j', (body, expected) => {
      expect(accept(body)).toMatchObject(expected);
    });

    it.each([
      [{ symbol: 'A', ticker: 'B' }, 'ticker', 'use only one of: symbol, ticker'],
      [{ quantity: 1, amount: 1 }, 'amount', 'use only one of: quantity, amount'],
      [{ quantity: 1, contracts: 1 }, 'contracts', 'use only one of: quantity, contracts'],
      [{ amount: 1, contracts: 1 }, 'contracts', 'use only one of: amount, contracts'],
      [{ quantity: 1, amount: 1, contracts: 1 }, 'amount', 'use only one of: quantity, amount, contracts'],
      [{ type: 'market', orderType: 'market' }, 'orderType', 'use only one of: type, orderType'],
      [{ token: 'a', passphrase: 'a' }, 'passphrase', 'use only one of: token, passphrase'],
    ])('when both spellings %j are sent, then the alert is refused on %s', (fields, path, message) => {
      expect(refuse({ symbol: 'BTCUSDT', action: 'close', ...fields })).toEqual([{ path, message }]);
    });

    it('when both spellings are sent, then nothing else is reported for the group', () => {
      expect(refuse({ ...BUY, symbol: 'A', ticker: 'A' })).toEqual([
        { path: 'ticker', message: 'use only one of: symbol, ticker' },
      ]);
    });
  });

  describe('action', () => {
    it.each(ACTIONS)('when action is %s, then it is kept', (action) => {
      expect(accept({ ...BUY, action }).action).toBe(action);
    });

    it.each([
      ['exit', 'close'],
      ['flat', 'close'],
      ['EXIT', 'close'],
      ['Flat', 'close'],
      [' close ', 'close'],
      ['BUY', 'buy'],
      ['Sell', 'sell'],
      ['Reverse', 'reverse'],
    ])('when action is %j, then it becomes %s', (action, expected) => {
      expect(accept({ symbol: 'BTCUSDT', action, quantity: 1 }).action).toBe(expected);
    });

    it('when action is cancel, then no quantity is needed', () => {
      expect(accept({ symbol: 'BTCUSDT', action: 'cancel' }).action).toBe('cancel');
    });

    it('when action is unknown, then the issue lists every accepted value and alias', () => {
      expect(onlyIssue({ ...BUY, action: 'hold' })).toEqual({
        path: 'action',
        message: 'must be one of: buy, sell, long, short, close, reverse, cancel, exit, flat',
      });
    });

    it('when action is cancel with takeProfit or stopLoss, then it is refused', () => {
      expect(refuse({ symbol: 'X', action: 'cancel', stopLoss: { price: 1 } })).toEqual([
        { path: 'action', message: 'cancel cannot carry takeProfit or stopLoss' },
      ]);
    });
  });

  describe('sentiment', () => {
    it.each([
      ['long', 'long'],
      ['bullish', 'long'],
      ['Bullish', 'long'],
      ['short', 'short'],
      ['BEARISH', 'short'],
      ['flat', 'flat'],
    ])('when sentiment is %j, then it becomes %s', (sentiment, expected) => {
      expect(accept({ symbol: 'BTCUSDT', sentiment, quantity: 1 }).sentiment).toBe(expected);
    });

    it('when sentiment is unknown, then the issue lists the accepted values and aliases', () => {
      expect(onlyIssue({ symbol: 'X', sentiment: 'sideways', quantity: 1 })).toEqual({
        path: 'sentiment',
        message: 'must be one of: long, short, flat, bullish, bearish',
      });
    });
  });

  describe('what to do and how much', () => {
    it('when neither action, sentiment nor positionSize is sent, then action is required', () => {
      expect(refuse({ symbol: 'BTCUSDT', quantity: 1 })).toEqual([
        { path: 'action', message: 'is required (or give sentiment or positionSize)' },
      ]);
    });

    it.each([
      [{ action: 'buy' }, 'buy'],
      [{ action: 'sell' }, 'sell'],
      [{ action: 'long' }, 'long'],
      [{ action: 'short' }, 'short'],
      [{ sentiment: 'bullish' }, 'long'],
      [{ sentiment: 'short' }, 'short'],
    ])('when %j is sent without a quantity, then quantity is required for %s', (intent, name) => {
      expect(refuse({ symbol: 'BTCUSDT', ...intent })).toEqual([
        { path: 'quantity', message: `is required for ${name} (aliases: amount, contracts)` },
      ]);
    });

    it.each([
      { action: 'close' },
      { action: 'exit' },
      { action: 'flat' },
      { action: 'cancel' },
      { action: 'reverse' },
      { sentiment: 'flat' },
      { positionSize: 1 },
      { action: 'buy', positionSize: 2 },
    ])('when %j is sent without a quantity, then it is accepted', (intent) => {
      const alert = accept({ symbol: 'BTCUSDT', ...intent });
      expect(alert.quantity).toBeUndefined();
    });

    it('when close carries a quantity, then the partial size is kept', () => {
      expect(accept({ symbol: 'BTCUSDT', action: 'close', quantity: '0.5' }).quantity).toBe(0.5);
    });
  });

  describe('order type, price and flags', () => {
    it.each([{ type: 'limit' }, { orderType: 'limit' }])(
      'when %j is sent without a price, then price is required',
      (typeField) => {
        expect(refuse({ ...BUY, ...typeField })).toEqual([
          { path: 'price', message: 'is required for a limit order' },
        ]);
      },
    );

    it('when type is unknown, then the issue lists market and limit', () => {
      expect(onlyIssue({ ...BUY, type: 'stop' })).toEqual({
        path: 'type',
        message: 'must be one of: market, limit',
      });
    });

    it.each([true, 'true'])('when postOnly is %j on a market order, then it is refused', (postOnly) => {
      expect(refuse({ ...BUY, postOnly })).toEqual([
        { path: 'postOnly', message: 'only applies to limit orders' },
      ]);
    });

    it('when postOnly is false on a market order, then it is accepted', () => {
      expect(accept({ ...BUY, postOnly: false }).postOnly).toBe(false);
    });

    it.each([
      [true, true],
      [false, false],
      ['true', true],
      ['false', false],
    ])('when reduceOnly is %j, then it becomes %p', (reduceOnly, expected) => {
      expect(accept({ ...BUY, reduceOnly }).reduceOnly).toBe(expected);
    });

    it.each(['yes', 1, 'on'])('when reduceOnly is %j, then it is refused on reduceOnly', (reduceOnly) => {
      expect(onlyIssue({ ...BUY, reduceOnly }).path).toBe('reduceOnly');
    });

    // Regression guard: booleanish is a z.union whose failure message is zod's generic "Invalid input", which
    // does not say what is expected.
    it('when reduceOnly is "yes", then the message says it must be true or false', () => {
      expect(onlyIssue({ ...BUY, reduceOnly: 'yes' }).message).toMatch(/true or false/);
    });

    it.each([
      ['gtc', 'GTC'],
      [' ioc ', 'IOC'],
      ['Fok', 'FOK'],
      ['GTC', 'GTC'],
    ])('when timeInForce is %j, then it becomes %s', (timeInForce, expected) => {
      expect(accept({ ...BUY, timeInForce }).timeInForce).toBe(expected);
    });

    it('when timeInForce is GTD, then the issue lists GTC, IOC and FOK', () => {
      expect(onlyIssue({ ...BUY, timeInForce: 'GTD' })).toEqual({
        path: 'timeInForce',
        message: 'must be one of: GTC, IOC, FOK',
      });
    });

    it.each([
      ['Cross', 'cross'],
      ['ISOLATED', 'isolated'],
    ])('when marginMode is %j, then it becomes %s', (marginMode, expected) => {
      expect(accept({ ...BUY, marginMode }).marginMode).toBe(expected);
    });

    it('when marginMode is unknown, then the issue lists isolated and cross', () => {
      expect(onlyIssue({ ...BUY, marginMode: 'portfolio' })).toEqual({
        path: 'marginMode',
        message: 'must be one of: isolated, cross',
      });
    });
  });

  describe('quantityType', () => {
    it.each(QUANTITY_TYPES)('when quantityType is %s, then it is kept', (quantityType) => {
      expect(accept({ ...BUY, quantityType }).quantityType).toBe(quantityType);
    });

    it('when quantityType is unknown, then the issue lists the five types', () => {
      expect(onlyIssue({ ...BUY, quantityType: 'usd' })).toEqual({
        path: 'quantityType',
        message: 'must be one of: base, contracts, quote, percent_of_equity, percent_of_position',
      });
    });

    it.each([
      ['percent_of_equity', 100, true],
      ['percent_of_equity', 100.5, false],
      ['percent_of_position', 101, false],
      ['quote', 500, true],
      ['base', 250, true],
    ])('when quantityType is %s and quantity %p, then accepted is %p', (quantityType, quantity, ok) => {
      const result = parseAlert({ ...BUY, quantityType, quantity }, OPTS);
      if (ok) expect(result.ok).toBe(true);
      else {
        expect(result).toEqual({
          ok: false,
          issues: [{ path: 'quantity', message: `must be at most 100 when quantityType is ${quantityType}` }],
        });
      }
    });
  });

  describe('takeProfit and stopLoss', () => {
    it.each([
      ['takeProfit', { price: '70000' }, { price: 70000 }],
      ['takeProfit', { percent: 2.5 }, { percent: 2.5 }],
      ['stopLoss', { percent: '1' }, { percent: 1 }],
      ['stopLoss', { price: 60000 }, { price: 60000 }],
    ])('when %s is %j, then it becomes %j', (field, value, expected) => {
      const alert = accept({ ...BUY, [field]: value }) as unknown as Record<string, unknown>;
      expect(alert[field]).toEqual(expected);
    });

    it.each([
      ['takeProfit', {}],
      ['takeProfit', { price: 1, percent: 2 }],
      ['stopLoss', { price: 1, percent: 1 }],
    ])('when %s is %j, then it is refused with the two accepted shapes', (field, value) => {
      expect(onlyIssue({ ...BUY, [field]: value })).toEqual({
        path: field,
        message: 'must be { "price": n } or { "percent": n }',
      });
    });

    it.each([
      ['takeProfit', { price: 1, trailing: true }, 'takeProfit.trailing'],
      ['stopLoss', { percent: 1, offset: 2 }, 'stopLoss.offset'],
    ])('when %s is %j, then the unknown nested field is refused by name', (field, value, path) => {
      expect(onlyIssue({ ...BUY, [field]: value })).toEqual({
        path,
        message: 'unknown field; free-form data belongs under "meta"',
      });
    });

    it.each([
      ['takeProfit', { trailing: 1 }],
      ['stopLoss', 'tight'],
      ['takeProfit', { percent: '{{tp}}' }],
      ['stopLoss', { percent: 1001 }],
      ['stopLoss', { price: -1 }],
      ['stopLoss', { price: 0 }],
    ])('when %s is %j, then it is refused on that field', (field, value) => {
      const paths = refuse({ ...BUY, [field]: value }).map((i) => i.path);
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) expect(path === field || path.startsWith(`${field}.`)).toBe(true);
    });

    // Regression guard: when a price or percent value is wrong, the union's generic "must be { price } or {
    // percent }" replaces what went wrong inside it: a negative price does not say "greater than 0", a percent
    // over 1000 does not say its limit, and an unreplaced placeholder loses its message.
    it.each([
      [{ price: -1 }, 'takeProfit.price', 'must be greater than 0'],
      [{ percent: 1001 }, 'takeProfit.percent', 'must be at most 1000'],
      [{ percent: '{{tp}}' }, 'takeProfit.percent', placeholderText('{{tp}}')],
    ])('when takeProfit is %j, then the issue is on %s and says %j', (takeProfit, path, message) => {
      const issue = onlyIssue({ ...BUY, takeProfit });
      expect(issue.path).toBe(path);
      expect(issue.message).toContain(message);
    });
  });

  describe('unknown fields', () => {
    it.each([
      ['qty', 'quantity'],
      ['side', 'action'],
      ['quantty', 'quantity'],
      ['size', 'quantity'],
      ['tp', 'takeProfit'],
      ['sl', 'stopLoss'],
      ['order_type', 'type'],
      ['Symbol', 'symbol'],
      ['levrage', 'leverage'],
    ])('when the body has %s, then it is refused by name with "did you mean %s"', (field, suggestion) => {
      expect(onlyIssue({ ...BUY, [field]: 1 })).toEqual({
        path: field,
        message: `unknown field (did you mean "${suggestion}"?); free-form data belongs under "meta"`,
      });
    });

    it('when an unknown field resembles nothing, then it is refused by name without a guess', () => {
      expect(onlyIssue({ ...BUY, strategyName: 'x' })).toEqual({
        path: 'strategyName',
        message: 'unknown field; free-form data belongs under "meta"',
      });
    });

    it('when a typo replaces quantity, then the alert is refused instead of trading a default size', () => {
      expect(refuse({ symbol: 'BTCUSDT', action: 'buy', qty: 5 }).map((i) => i.path)).toEqual(['qty']);
    });

    it('when several unknown fields are sent, then each is named', () => {
      expect(refuse({ ...BUY, qty: 1, side: 'buy', foo: 2 }).map((i) => i.path)).toEqual([
        'qty',
        'side',
        'foo',
      ]);
    });
  });

  describe('meta and comment', () => {
    it('when meta holds nested free-form data, then it is kept verbatim', () => {
      const meta = { strategy: 'x', levels: [1, 2, 3], nested: { deep: { value: null, flag: true } } };
      expect(accept({ ...BUY, meta }).meta).toEqual(meta);
    });

    it.each(['text', [1, 2], 5])('when meta is %j, then it is refused on meta', (meta) => {
      expect(onlyIssue({ ...BUY, meta }).path).toBe('meta');
    });

    it('when comment has 500 characters, then it is kept', () => {
      expect(accept({ ...BUY, comment: 'c'.repeat(500) }).comment).toHaveLength(500);
    });

    it('when comment has 501 characters, then it is refused', () => {
      expect(onlyIssue({ ...BUY, comment: 'c'.repeat(501) })).toEqual({
        path: 'comment',
        message: 'must be at most 500 characters',
      });
    });
  });

  describe('token and passphrase', () => {
    it.each(['token', 'passphrase'])(
      'when the body carries %s, then the normalised alert holds no trace of it',
      (field) => {
        const secret = 'very-secret-token-value';
        const alert = accept({ ...BUY, [field]: secret, meta: { note: 'x' } });
        expect(Object.keys(alert)).not.toContain(field);
        expect(JSON.stringify(alert)).not.toContain(secret);
      },
    );

    it('when token is not a string, then it is refused on token', () => {
      expect(onlyIssue({ ...BUY, token: 12345 }).path).toBe('token');
    });
  });

  describe('id', () => {
    it.each([
      [' abc-1 ', 'abc-1'],
      [42, '42'],
      ['x'.repeat(256), 'x'.repeat(256)],
    ])('when id is %j, then idempotencyKey is %j', (id, expected) => {
      expect(accept({ ...BUY, id }).idempotencyKey).toBe(expected);
    });

    it.each([
      ['', 'must not be empty'],
      ['x'.repeat(257), 'must be at most 256 characters'],
    ])('when id is %j, then it is refused: %s', (id, message) => {
      expect(onlyIssue({ ...BUY, id })).toEqual({ path: 'id', message });
    });
  });

  describe('symbol', () => {
    it.each(['BTCUSDT', 'BINANCE:BTCUSDT', 'BTCUSDT.P', 'BTC/USDT', 'BTC/USDT:USDT', 'BTC-USDT', 'eth_usdt'])(
      'when symbol is %s, then it is kept as sent',
      (symbol) => {
        expect(accept({ ...BUY, symbol }).symbol).toBe(symbol);
      },
    );

    it('when symbol has surrounding blanks, then they are trimmed', () => {
      expect(accept({ ...BUY, symbol: '  BTCUSDT ' }).symbol).toBe('BTCUSDT');
    });

    it('when symbol is missing, then it is required and the alias is named', () => {
      expect(refuse({ action: 'buy', quantity: 1 })).toEqual([
        { path: 'symbol', message: 'is required (alias: ticker)' },
      ]);
    });

    it.each([
      ['BTC USDT', 'may only hold letters, digits and : / . _ -'],
      ['BTC$USDT', 'may only hold letters, digits and : / . _ -'],
      ['', 'must not be empty'],
      ['S'.repeat(65), 'must be at most 64 characters'],
    ])('when symbol is %j, then it is refused: %s', (symbol, message) => {
      expect(onlyIssue({ ...BUY, symbol })).toEqual({ path: 'symbol', message });
    });
  });

  describe('account', () => {
    it('when account is absent, then the default account is used', () => {
      expect(accept(BUY).account).toBe('main');
    });

    it('when account names a configured account, then it is used', () => {
      expect(accept({ ...BUY, account: 'alt' }).account).toBe('alt');
    });

    it('when account is not configured, then the issue names it and the known accounts', () => {
      expect(refuse({ ...BUY, account: 'nope' })).toEqual([
        { path: 'account', message: '"nope" is not a configured account (known: main, alt)' },
      ]);
    });

    it('when no account list is given, then any account id is accepted', () => {
      expect(accept({ ...BUY, account: 'other' }, { defaultAccount: 'main' }).account).toBe('other');
    });

    it('when account is longer than 32 characters, then it is refused', () => {
      expect(onlyIssue({ ...BUY, account: 'a'.repeat(33) })).toEqual({
        path: 'account',
        message: 'must be at most 32 characters',
      });
    });
  });

  describe('timestamp', () => {
    const MS = Date.UTC(2024, 4, 1, 12, 0, 0);

    it.each([
      ['2024-05-01T12:00:00Z', MS],
      ['2024-05-01T14:00:00+02:00', MS],
      [1714564800, MS],
      ['1714564800', MS],
      [1714564800000, MS],
      ['1714564800123', MS + 123],
    ])('when timestamp is %j, then it becomes epoch ms %p', (timestamp, expected) => {
      expect(accept({ ...BUY, timestamp }).timestamp).toBe(expected);
    });

    it.each(['yesterday', '2024-05-01', '2024-05-01T12:00:00', '{{timenow}}', '-5', ''])(
      'when timestamp is %j, then it is refused with the accepted formats',
      (timestamp) => {
        expect(refuse({ ...BUY, timestamp })).toEqual([
          { path: 'timestamp', message: 'must be ISO-8601 (e.g. {{timenow}}) or unix seconds/milliseconds' },
        ]);
      },
    );

    it('when timestamp is a boolean, then it is refused on timestamp', () => {
      expect(onlyIssue({ ...BUY, timestamp: true }).path).toBe('timestamp');
    });
  });

  describe('bodies that are not objects', () => {
    it.each([
      ['null', null],
      ['an array', [BUY]],
      ['a string', 'buy BTCUSDT'],
      ['a number', 42],
      ['a boolean', true],
      ['undefined', undefined],
    ])('when the body is %s, then the whole body is refused as not an object', (_name, body) => {
      expect(refuse(body)).toEqual([{ path: '(body)', message: expect.stringContaining('expected object') }]);
    });
  });

  it('when several fields are wrong, then every issue is reported at once', () => {
    const issues = refuse({ symbol: 'X', action: 'hold', quantity: 'abc', timeInForce: 'GTD', leverage: 0 });
    expect(issues.map((i) => i.path).sort()).toEqual(['action', 'leverage', 'quantity', 'timeInForce']);
  });
});
