import { Writable } from 'node:stream';
import * as Sentry from '@sentry/node';
import { redactUrl } from '../../../src/observability/error-tracker';
import { createLogger } from '../../../src/observability/logger';

/**
 * The real Sentry SDK, initialised without integrations or OpenTelemetry, with a `beforeSend` that keeps
 * the finished events instead of sending them: what Sentry would receive, field for field.
 */
const sent: Sentry.ErrorEvent[] = [];
const SECRET = 'sk-live-5d1e8f0a9b7c6d5e4f3a2b1c';

beforeAll(() => {
  Sentry.init({
    dsn: 'https://public@sentry.invalid/1',
    defaultIntegrations: false,
    enableRuntimeChannelInjection: false,
    beforeSend(event) {
      sent.push(event);
      return null;
    },
  });
});
afterAll(() => Sentry.close(100));
beforeEach(() => {
  sent.length = 0;
});

function logger() {
  const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
  return createLogger({ level: 'info', json: true, secrets: [SECRET], stream: quiet, tracker: Sentry });
}

describe('error tracking (Sentry)', () => {
  it('when the worker logs a failure, then Sentry gets it tagged with the signal id and account', async () => {
    logger().error('signal failed', { signalId: 'sig_0123', account: 'main', error: 'insufficient funds' });
    await Sentry.flush(1000);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.message).toBe('signal failed: insufficient funds');
    expect(sent[0]?.tags).toMatchObject({ signalId: 'sig_0123', account: 'main' });
  });

  it('when an error carries a stack, then Sentry gets an exception with that stack', async () => {
    const error = new Error('boom');
    logger().error('unhandled error', { requestId: 'req-1', error: error.message, stack: error.stack });
    await Sentry.flush(1000);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.exception?.values?.[0]?.value).toBe('unhandled error: boom');
    expect(sent[0]?.exception?.values?.[0]?.stacktrace?.frames?.length).toBeGreaterThan(0);
    expect(sent[0]?.tags).toMatchObject({ requestId: 'req-1' });
  });

  it('when a line carries a secret, by value or by field name, then Sentry never sees it', async () => {
    logger().error(`exchange refused key ${SECRET}`, {
      signalId: 'sig_1',
      error: `auth failed for ${SECRET}`,
      secret: 'field-named-secret-value',
      details: { apiKey: 'nested-key-value', note: SECRET },
    });
    await Sentry.flush(1000);
    expect(sent).toHaveLength(1);
    const text = JSON.stringify(sent[0]);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('field-named-secret-value');
    expect(text).not.toContain('nested-key-value');
    expect(text).toContain('[redacted]');
  });

  it('when a line is a warning or information, then nothing is reported', async () => {
    const log = logger();
    log.warn('Redis connection lost');
    log.info('signal filled', { signalId: 'sig_2' });
    await Sentry.flush(1000);
    expect(sent).toEqual([]);
  });

  it('when a URL carries the webhook token or a credential, then it is redacted', () => {
    expect(redactUrl('https://a.example/webhook/tok123?x=1')).toBe(
      'https://a.example/webhook/[redacted]?x=1',
    );
    expect(redactUrl('/api?token=abc&apiKey=def&page=2')).toBe(
      '/api?token=[redacted]&apiKey=[redacted]&page=2',
    );
  });
});
