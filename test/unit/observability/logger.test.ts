import { Writable } from 'node:stream';
import { createLogger } from '../../../src/observability/logger';
import { captureLogs } from '../../support/log-capture';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const TOKEN = 'tv-token-5f1c2a9e';

/** Lets winston's streams deliver what was logged. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A readable-mode logger whose lines (ANSI colours removed) are kept in memory. */
function captureReadable(secrets: string[] = []) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'debug', json: false, secrets, stream });
  // eslint-disable-next-line no-control-regex
  return { logger, lines: () => lines.map((l) => l.replace(/\u001b\[\d+m/g, '')) };
}

describe('createLogger', () => {
  describe('JSON mode', () => {
    it('when a step is logged, then the line is JSON with level, message, timestamp and fields', async () => {
      const { logger, lines } = captureLogs();
      logger.info('signal queued', { signalId: 'sig_1', requestId: 'req-1', partition: 3 });
      await flush();
      expect(lines).toHaveLength(1);
      const entry = JSON.parse(lines[0]);
      expect(entry).toEqual({
        level: 'info',
        message: 'signal queued',
        signalId: 'sig_1',
        requestId: 'req-1',
        partition: 3,
        timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      });
    });

    it('when the level is info, then debug lines are dropped and warn lines kept', async () => {
      const { logger, lines } = captureLogs({ level: 'info' });
      logger.debug('noise');
      logger.warn('kept');
      await flush();
      expect(lines.map((l) => JSON.parse(l).message)).toEqual(['kept']);
    });
  });

  describe('readable mode', () => {
    it('when a step is logged, then the line is time, level, message and key=value fields, not JSON', async () => {
      const { logger, lines } = captureReadable();
      logger.info('signal queued', { signalId: 'sig_1', nested: { a: 1 } });
      await flush();
      expect(lines()).toEqual([
        expect.stringMatching(
          /^\d{2}:\d{2}:\d{2}\.\d{3} info signal queued signalId=sig_1 nested=\{"a":1\}$/,
        ),
      ]);
      expect(() => JSON.parse(lines()[0])).toThrow();
    });

    it('when secrets are logged in readable mode, then they are redacted too', async () => {
      const { logger, lines } = captureReadable([SECRET]);
      logger.warn(`secret is ${SECRET}`, { token: TOKEN, note: `again ${SECRET}` });
      await flush();
      const text = lines().join('\n');
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
      expect(text).toContain('token=[redacted]');
    });
  });

  describe('secret field names', () => {
    it.each([
      'token',
      'passphrase',
      'secret',
      'secrets',
      'password',
      'apiKey',
      'APIKEY',
      'api_key',
      'authorization',
      'Authorization',
      'signature',
      'webhook-signature',
      'x-api-key',
    ])(
      'when a field is named %s, then its value is redacted at the top, nested and inside arrays',
      async (field) => {
        const value = `value-of-${field}-1234`;
        const { logger, lines, text } = captureLogs();
        logger.info('request', {
          [field]: value,
          headers: { [field]: value },
          body: { alert: { meta: { [field]: value } } },
          list: [{ [field]: value }],
        });
        await flush();
        expect(text()).not.toContain(value);
        const entry = JSON.parse(lines[0]);
        expect(entry[field]).toBe('[redacted]');
        expect(entry.headers[field]).toBe('[redacted]');
        expect(entry.body.alert.meta[field]).toBe('[redacted]');
        expect(entry.list[0][field]).toBe('[redacted]');
      },
    );

    it('when a secret field holds an object or a list, then the whole value is redacted', async () => {
      const { logger, lines } = captureLogs();
      logger.info('config', { secrets: ['a-secret-1', 'a-secret-2'], password: { value: 'pw-123456' } });
      await flush();
      expect(JSON.parse(lines[0])).toMatchObject({ secrets: '[redacted]', password: '[redacted]' });
    });

    it('when fields are not secret names, then they are kept', async () => {
      const { logger, lines } = captureLogs();
      logger.info('step', { signalId: 'sig_1', requestId: 'req', symbol: 'BTCUSDT', tokenCount: 3 });
      await flush();
      expect(JSON.parse(lines[0])).toMatchObject({
        signalId: 'sig_1',
        requestId: 'req',
        symbol: 'BTCUSDT',
        tokenCount: 3,
      });
    });

    it("when an object is logged, then the caller's object is not changed by redaction", async () => {
      const { logger } = captureLogs();
      const alert = { token: TOKEN, nested: { apiKey: 'k-123456' } };
      logger.info('alert', { alert });
      await flush();
      expect(alert).toEqual({ token: TOKEN, nested: { apiKey: 'k-123456' } });
    });

    // Regression guard: scrub() stops at depth 6 and returns deeper values untouched, so a secret field or
    // value nested deeper (a full request or ccxt response logged as one field) reaches the log.
    it('when a token lies 8 levels deep, then it is still redacted', async () => {
      const { logger, text } = captureLogs({ secrets: [SECRET] });
      logger.info('deep', {
        l1: { l2: { l3: { l4: { l5: { l6: { l7: { token: TOKEN, note: SECRET } } } } } } },
      });
      await flush();
      expect(text()).toContain('"message":"deep"');
      expect(text()).not.toContain(TOKEN);
      expect(text()).not.toContain(SECRET);
    });
  });

  describe('configured secret values', () => {
    it('when a secret value appears in the message, then it is replaced by [redacted]', async () => {
      const { logger, lines } = captureLogs({ secrets: [SECRET, TOKEN] });
      logger.warn(`bad signature with ${SECRET} and token ${TOKEN}`);
      await flush();
      expect(JSON.parse(lines[0]).message).toBe('bad signature with [redacted] and token [redacted]');
    });

    it('when a secret value appears in nested strings and arrays, then every occurrence is scrubbed', async () => {
      const { logger, lines, text } = captureLogs({ secrets: [TOKEN] });
      logger.info('alert', {
        body: `{"token":"${TOKEN}","again":"${TOKEN}"}`,
        nested: { url: `/webhook/${TOKEN}`, list: [`x${TOKEN}y`] },
      });
      await flush();
      expect(text()).not.toContain(TOKEN);
      const entry = JSON.parse(lines[0]);
      expect(entry.body).toBe('{"token":"[redacted]","again":"[redacted]"}');
      expect(entry.nested).toEqual({ url: '/webhook/[redacted]', list: ['x[redacted]y'] });
    });

    it('when no secrets are configured, then strings are logged unchanged', async () => {
      const { logger, lines } = captureLogs();
      logger.info(`plain ${TOKEN}`);
      await flush();
      expect(JSON.parse(lines[0]).message).toBe(`plain ${TOKEN}`);
    });
  });

  describe('errors', () => {
    it('when an Error is logged as a field, then its name and scrubbed message are logged without its stack', async () => {
      const { logger, lines, text } = captureLogs({ secrets: [SECRET] });
      const error = new TypeError(`request failed for key ${SECRET}`);
      logger.error('exchange call failed', { error });
      await flush();
      expect(JSON.parse(lines[0]).error).toEqual({
        name: 'TypeError',
        message: 'request failed for key [redacted]',
      });
      expect(text()).not.toContain(SECRET);
      expect(text()).not.toContain('logger.test.ts');
    });

    it('when an Error is passed as the meta argument, then its message and stack hold no secret', async () => {
      const { logger, lines, text } = captureLogs({ secrets: [SECRET] });
      logger.error('failed', new Error(`boom ${SECRET}`));
      await flush();
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]).message).toBe('failed boom [redacted]');
      expect(text()).not.toContain(SECRET);
    });

    // Regression guard: winston passes an Error logged on its own (`logger.error(err)`) as the info object
    // itself; scrub() turns any Error into a plain { name, message }, dropping winston's level symbols, so the
    // line is silently lost.
    it('when an Error is logged on its own, then a line with its scrubbed message is written', async () => {
      const { logger, lines, text } = captureLogs({ secrets: [SECRET] });
      logger.error(new Error(`boom ${SECRET}`));
      await flush();
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toMatchObject({ level: 'error', message: 'boom [redacted]' });
      expect(text()).not.toContain(SECRET);
    });
  });
});
