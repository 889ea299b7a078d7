import { type Resolver, urlProblem } from '../../../src/notify/address-policy';
import { RESPONSE_LIMIT_BYTES, SafeHttp } from '../../../src/notify/safe-http';
import { type Receiver, startReceiver } from '../../support/notify/receiver';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

const post = (http: SafeHttp, url = receiver.url) =>
  http.post(url, { 'content-type': 'application/json' }, '{}');

describe('SSRF-guarded HTTP', () => {
  it('when loopback is allowed (tests, development), then a local receiver gets the POST and its status is kept', async () => {
    receiver.answer((_n, _req, res) => res.writeHead(200).end('ok'));
    const outcome = await post(new SafeHttp({ allowLoopback: true }));
    expect(outcome).toMatchObject({ statusCode: 200, response: 'ok', error: null });
  });

  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback v6', '::1'],
    ['private 10/8', '10.1.2.3'],
    ['private 172.16/12', '172.16.0.9'],
    ['private 192.168/16', '192.168.1.1'],
    ['link-local metadata', '169.254.169.254'],
    ['carrier-grade NAT', '100.64.0.1'],
    ['multicast', '224.0.0.1'],
    ['reserved', '240.0.0.1'],
    ['unspecified', '0.0.0.0'],
    ['broadcast', '255.255.255.255'],
    ['IPv6 unique local', 'fd00::1'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv4-mapped IPv6 of loopback', '::ffff:127.0.0.1'],
    ['IPv4-mapped IPv6 of metadata', '::ffff:169.254.169.254'],
    ['NAT64 of private', '64:ff9b::a00:1'],
    ['IPv4-compatible IPv6 of loopback', '::7f00:1'],
    ['IPv4-compatible IPv6 of private', '::a00:1'],
    ['IPv6 outside global unicast', '4000::1'],
  ])('when a name resolves to %s (%s), then no connection is made', async (_label, address) => {
    const resolver: Resolver = async () => [address];
    const outcome = await post(new SafeHttp({ resolver }), 'https://hooks.example.test/x');
    expect(outcome.statusCode).toBeNull();
    expect(outcome.error).toMatch(/^address refused: hooks\.example\.test → /);
  });

  it('when a name resolves to 127.0.0.1 and loopback is not allowed, then the local receiver is never reached', async () => {
    const before = receiver.received.length;
    const resolver: Resolver = async () => ['127.0.0.1'];
    const outcome = await post(
      new SafeHttp({ resolver }),
      `https://receiver.example.test:${receiver.port}/hook`,
    );
    expect(outcome.error).toBe('address refused: receiver.example.test → 127.0.0.1 is loopback');
    expect(receiver.received).toHaveLength(before);
  });

  it('when the DNS answer changes to a private address after the url was accepted, then the connection is refused', async () => {
    const answers = [['93.184.216.34'], ['10.0.0.7']];
    let calls = 0;
    const resolver: Resolver = async () => answers[Math.min(calls++, 1)];
    expect(urlProblem('https://rebind.example.test/x', false)).toBeUndefined();
    // The first answer is public (and would connect); resolving again at the next connection is private.
    await resolver('rebind.example.test');
    const outcome = await post(new SafeHttp({ resolver }), 'https://rebind.example.test/x');
    expect(outcome.error).toContain('10.0.0.7 is private');
  });

  it('when a name answers one public and one private address, then it is refused', async () => {
    const resolver: Resolver = async () => ['93.184.216.34', '192.168.0.2'];
    const outcome = await post(new SafeHttp({ resolver }), 'https://mixed.example.test/x');
    expect(outcome.error).toContain('192.168.0.2 is private');
  });

  it('when the receiver redirects, then the redirect is not followed and the 3xx is the outcome', async () => {
    const before = receiver.received.length;
    receiver.answer((_n, _req, res) =>
      res.writeHead(302, { location: 'http://169.254.169.254/latest' }).end(),
    );
    const outcome = await post(new SafeHttp({ allowLoopback: true }));
    expect(outcome.statusCode).toBe(302);
    expect(receiver.received).toHaveLength(before + 1);
  });

  it('when the receiver answers a huge body, then only the first 20 KB are read and kept', async () => {
    receiver.answer((_n, _req, res) => {
      res.writeHead(200);
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 10 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 10 * 1024 * 1024) res.once('drain', pump);
        else res.end();
      };
      res.on('error', () => undefined);
      pump();
    });
    const outcome = await post(new SafeHttp({ allowLoopback: true }));
    expect(outcome.statusCode).toBe(200);
    expect(outcome.response).toHaveLength(RESPONSE_LIMIT_BYTES);
  });

  it('when the receiver does not answer in time, then the attempt ends as a timeout', async () => {
    receiver.answer(() => undefined); // never answers
    const outcome = await post(new SafeHttp({ allowLoopback: true, timeoutMs: 200 }));
    expect(outcome.statusCode).toBeNull();
    expect(outcome.error).toBe('timeout: no complete answer within 200 ms');
  });
});

describe('subscription url check (at save time)', () => {
  it.each([
    ['https://hooks.example.com/x', false, undefined],
    ['http://hooks.example.com/x', false, 'must be https'],
    ['http://127.0.0.1:9/x', false, 'must be https'],
    ['http://127.0.0.1:9/x', true, undefined],
    ['http://localhost:9/x', true, undefined],
    ['http://10.0.0.1/x', true, 'must be https (http only to loopback)'],
    ['https://10.0.0.1/x', false, 'non-public address (10.0.0.1 is private)'],
    ['https://[::ffff:169.254.169.254]/x', false, 'non-public address'],
    ['https://localhost/x', false, 'non-public address (localhost)'],
    ['https://user:pw@hooks.example.com/x', false, 'must not hold credentials'],
    ['https://[::ffff:93.184.216.34]/x', false, undefined],
    ['https://[2606:4700:4700::1111]/x', false, undefined],
    ['https://[::7f00:1]/x', false, 'non-public address (::7f00:1 is not global unicast)'],
    ['not a url', false, 'absolute https:// URL'],
  ])('when the url is %s (insecure allowed: %s), then the problem is %s', (url, insecure, problem) => {
    const found = urlProblem(url, insecure);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it('when the url is longer than 2048 characters, then it is refused', () => {
    expect(urlProblem(`https://hooks.example.com/${'a'.repeat(2048)}`, false)).toContain('at most 2048');
  });
});
