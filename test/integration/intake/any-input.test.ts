import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { type TestApp, startTestApp, timenow } from '../../support/test-app';
import { signedHeaders } from '../../support/sign';

/**
 * Issue 6 §5: whatever a sender posts, the answer is one of the contract's statuses with its documented
 * JSON body — never a 5xx, a hang or a stack trace. Generated bodies run against the real web process.
 */

interface Answer {
  status: number;
  body: Record<string, unknown>;
  contentType: string | undefined;
}

const KNOWN_FIELDS = [
  'token',
  'passphrase',
  'id',
  'timestamp',
  'account',
  'symbol',
  'ticker',
  'action',
  'sentiment',
  'type',
  'orderType',
  'price',
  'quantity',
  'amount',
  'contracts',
  'quantityType',
  'positionSize',
  'leverage',
  'marginMode',
  'reduceOnly',
  'postOnly',
  'timeInForce',
  'takeProfit',
  'stopLoss',
  'maxLagSeconds',
  'comment',
  'meta',
];

let app: TestApp;
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

beforeAll(async () => {
  app = await startTestApp('any-input', { RATE_LIMIT_PER_MINUTE: '1000000', BODY_LIMIT: '16kb' });
});
afterAll(async () => {
  agent.destroy();
  await app.close();
});

function send(path: string, headers: Record<string, string>, body: Buffer | string): Promise<Answer> {
  const url = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: 'POST', path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            parsed = { unparsable: text };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, contentType: res.headers['content-type'] });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The contract's answer shapes (README "Answers of POST /webhook"); throws naming what is off. */
function checkAnswer(answer: Answer): void {
  const { status, body } = answer;
  const fail = (why: string) => {
    throw new Error(`${why}: ${status} ${JSON.stringify(body).slice(0, 300)}`);
  };
  if (!answer.contentType?.startsWith('application/json')) fail('not JSON');
  const keys = Object.keys(body).sort().join(',');
  const errorMessage = (code: string) => {
    if (body.error !== code || keys !== 'error,message' || typeof body.message !== 'string')
      fail(`not ${code}`);
  };
  switch (status) {
    case 202:
    case 200:
      if (keys !== 'id,status' || !/^sig_[0-9a-f]{24}$/.test(String(body.id))) fail('bad success body');
      if (body.status !== (status === 202 ? 'queued' : 'duplicate')) fail('bad success status');
      return;
    case 400:
      if (body.error === 'invalid_signal') {
        const issues = body.issues as Array<{ path: unknown; message: unknown }>;
        if (keys !== 'error,issues' || !Array.isArray(issues) || issues.length === 0) fail('bad issues');
        for (const issue of issues) {
          if (typeof issue.path !== 'string' || typeof issue.message !== 'string') fail('bad issue');
          const hint = /did you mean "([^"]*)"/.exec(issue.message as string)?.[1];
          if (hint !== undefined && !KNOWN_FIELDS.includes(hint)) fail(`hint names no field: ${hint}`);
        }
        return;
      }
      if (body.error === 'invalid_json') return errorMessage('invalid_json');
      return errorMessage('invalid_request');
    case 401:
      if (
        body.error !== 'unauthorized' ||
        body.message !== 'authentication failed' ||
        keys !== 'error,message'
      )
        fail('bad 401');
      return;
    case 413:
      return errorMessage('payload_too_large');
    case 415:
      return errorMessage('unsupported_media_type');
    default:
      fail('status outside the contract');
  }
}

// ---- generators ----------------------------------------------------------------------------------

/** JSON text nested `n` deep, written out (fast-check's own values stay shallow). */
const deepJson = fc
  .tuple(fc.integer({ min: 1, max: 4000 }), fc.constantFrom('[', '{"a":'))
  .map(([n, open]) => open.repeat(n) + '1' + (open === '[' ? ']' : '}').repeat(n));

const trickyText = fc.constantFrom(
  '0x10',
  '0o17',
  '0b1',
  'Infinity',
  '-Infinity',
  'NaN',
  '1e400',
  '',
  ' ',
  '{{close}}',
  '{{'.repeat(3000),
  '{'.repeat(5000) + '}',
  '65000.5',
  '0.01',
  '-1',
  'buy',
  'sell',
  'close',
  'limit',
  'BTCUSDT',
  'BINANCE:BTCUSDT.P',
  '2024-05-01T12:00:00Z',
  '\u0000',
  '\ud800',
  'true',
  'false',
);
const trickyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  trickyText.map((t) => JSON.stringify(t)),
  fc.constantFrom(
    '{"toString":1}',
    '{"valueOf":{},"toString":{}}',
    '{"__proto__":{"x":1}}',
    '[]',
    '{}',
    'null',
    '{"price":1,"percent":2}',
    '{"percent":"0x10"}',
    `[${'0,'.repeat(500)}0]`,
    '1e308',
    '-0',
  ),
  deepJson,
);
const key = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KNOWN_FIELDS) },
  fc.constantFrom(
    'constructor',
    '__proto__',
    'toString',
    'qty',
    'side',
    'tp',
    'quantityy',
    'Symbol',
    'x'.repeat(5000),
  ),
  fc.string({ maxLength: 12 }),
);
const timestamp = fc.oneof(
  fc.constant(JSON.stringify(timenow())),
  fc.constant(String(Math.floor(Date.now() / 1000))),
  fc.constant(JSON.stringify(String(Date.now()))),
  fc.constant(JSON.stringify(timenow(-3600))),
  trickyValue,
);

/** A body: mostly an authenticated alert with generated fields, sometimes arbitrary bytes. */
const body = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.array(fc.tuple(key, trickyValue), { maxLength: 6 }), timestamp, fc.boolean())
      .map(([fields, ts, withToken]) => {
        const entries: Array<[string, string]> = [
          ['symbol', '"BTCUSDT"'],
          ['action', '"buy"'],
          ['quantity', '0.01'],
          ['timestamp', ts],
          ...(withToken ? ([['token', '"test-token-1"']] as Array<[string, string]>) : []),
          ...fields,
        ];
        // Later duplicates win in JSON.parse, so generated fields override the base alert.
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
      }),
  },
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? ''),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'text/plain; charset=utf-8',
  'text/plain',
  'APPLICATION/JSON',
  'application/xml',
  '',
  ';;',
  'text/plain; charset=latin1',
  undefined,
);
const pathSuffix = fc.constantFrom(
  '',
  '',
  '',
  '/test-token-1',
  '/wrong-token',
  '/%E0%A4%A',
  '/%',
  '/a%2Fb',
  '/%00',
);

describe('when anything is posted to the webhook', () => {
  it('then every answer is a contract status with its documented JSON body', async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        contentType,
        pathSuffix,
        fc.constantFrom('token', 'token', 'hmac', 'hmac-garbage'),
        async (text, type, suffix, auth) => {
          const headers: Record<string, string> =
            auth === 'hmac'
              ? signedHeaders(text)
              : auth === 'hmac-garbage'
                ? { 'webhook-id': 'x', 'webhook-timestamp': '0x10', 'webhook-signature': 'v1,{{{{' }
                : {};
          delete headers['content-type'];
          if (type !== undefined) headers['content-type'] = type;
          checkAnswer(await send(`/webhook${suffix}`, headers, text));
        },
      ),
      { numRuns: 300 },
    );
    expect(app.logs.text()).not.toMatch(/unhandled error|"stack"/);
  }, 120_000);
});

describe('bodies that can never succeed', () => {
  const post = (text: string, extra: Record<string, string> = {}) =>
    send('/webhook', { 'content-type': 'application/json', ...extra }, text);
  const alert = (fields: string) =>
    `{"token":"test-token-1","timestamp":"${timenow()}","symbol":"BTCUSDT","action":"buy","quantity":1,${fields}}`;

  it.each([
    ['an id whose text conversion throws', '"id":{"toString":1,"valueOf":1}'],
    ['an object id', '"id":{"a":1}'],
    ['meta nested thousands deep', `"meta":{"x":${'['.repeat(3000)}${']'.repeat(3000)}}`],
    ['a hex quantity', '"quantity":"0x10"'],
  ])(
    'when the alert has %s, then 400 invalid_signal naming the field (not a 5xx/503)',
    async (_name, fields) => {
      const answer = await post(alert(fields).replace('"quantity":1,"quantity"', '"quantity"'));
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_signal');
      checkAnswer(answer);
    },
  );

  it('when an HMAC-signed alert carries a stale body timestamp, then 401 as in token mode', async () => {
    const text = JSON.stringify({ symbol: 'BTCUSDT', action: 'buy', quantity: 1, timestamp: timenow(-3600) });
    const answer = await send('/webhook', signedHeaders(text), text);
    expect(answer.status).toBe(401);
    expect(app.logs.text()).toMatch(/"reason":"timestamp_stale"/);
  });

  it('when an HMAC-signed alert carries a malformed body timestamp, then 401 as in token mode', async () => {
    const text = JSON.stringify({ symbol: 'BTCUSDT', action: 'buy', quantity: 1, timestamp: '0x10' });
    const answer = await send('/webhook', signedHeaders(text), text);
    expect(answer.status).toBe(401);
  });

  it('when the body is gzip-encoded, then 415 in the documented shape', async () => {
    const answer = await send(
      '/webhook',
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      gzipSync(alert('"id":"gz"')),
    );
    expect(answer.status).toBe(415);
    checkAnswer(answer);
  });

  it('when the token path segment is not decodable, then 400 invalid_request', async () => {
    const answer = await send('/webhook/%E0%A4%A', { 'content-type': 'application/json' }, alert('"id":"p"'));
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    checkAnswer(answer);
  });

  it('when Content-Length declares more than BODY_LIMIT, then 413 before a byte of the body is sent', async () => {
    const url = new URL(app.url);
    const socket = connect(Number(url.port), url.hostname);
    socket.write(
      'POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n',
    );
    // No body is ever written: the answer can only come from the declared length.
    const raw = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      socket.on('close', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 413 /);
    expect(raw).toMatch(/connection: close/i);
    expect(raw).toContain('"error":"payload_too_large"');
  });
});

describe('requests Node cannot parse', () => {
  it.each([
    [
      'a Content-Length that is not a number',
      'POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10\r\n\r\n',
    ],
    ['a garbage request line', 'POST /web hook HTTP/1.1 extra\r\n\r\n'],
  ])('when the request has %s, then 400 invalid_request as JSON', async (_name, raw) => {
    const url = new URL(app.url);
    const socket = connect(Number(url.port), url.hostname);
    socket.write(raw);
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"error":"invalid_request"');
  });
});
