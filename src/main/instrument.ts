/**
 * Loaded before anything else (`node --import ./dist/main/instrument.js`: Sentry 11 no longer
 * supports `--require`), as Sentry's instrumentation
 * must be. Without SENTRY_DSN it does nothing and does not even load `@sentry/node` (~12 MB, ~170 ms of
 * boot). Reads the environment directly: config validation runs later.
 */
import type * as SentryModule from '@sentry/node';
import { redactUrl } from '../observability/error-tracker';
import { loadDotEnv } from './load-env';

loadDotEnv();
const dsn = process.env.SENTRY_DSN;
if (dsn) {
  // A synchronous require on purpose: Sentry must be initialised before the application's modules load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Sentry = require('@sentry/node') as typeof SentryModule;
  Sentry.init({
    dsn,
    environment: process.env.SENTRY_ENVIRONMENT || process.env.NODE_ENV || 'development',
    tracesSampleRate: Number(process.env.SENTRY_TRACES_SAMPLE_RATE ?? 0) || 0,
    // Request bodies are alerts and headers carry signatures and API keys: neither ever leaves. The token
    // of `POST /webhook/:token` is in the URL: redacted.
    beforeSend(event) {
      if (event.request?.url) event.request.url = redactUrl(event.request.url);
      if (event.request) {
        delete event.request.data;
        delete event.request.headers;
        delete event.request.cookies;
        delete event.request.query_string;
      }
      return event;
    },
    beforeBreadcrumb(breadcrumb) {
      if (typeof breadcrumb.data?.url === 'string') breadcrumb.data.url = redactUrl(breadcrumb.data.url);
      return breadcrumb;
    },
    // Spans (traces, when SENTRY_TRACES_SAMPLE_RATE > 0) name the route and carry the URL.
    beforeSendSpan(span) {
      span.name = redactUrl(span.name);
      for (const [key, value] of Object.entries(span.attributes ?? {})) {
        if (typeof value === 'string') span.attributes![key] = redactUrl(value);
      }
      return span;
    },
  });
}
