/**
 * Loaded before anything else (`node --require ./dist/main/instrument.js`), as Sentry's instrumentation
 * must be. Does nothing without SENTRY_DSN. Reads the environment directly: config validation runs later.
 */
import * as Sentry from '@sentry/node';

const dsn = process.env.SENTRY_DSN;
if (dsn) {
  Sentry.init({
    dsn,
    environment: process.env.SENTRY_ENVIRONMENT || process.env.NODE_ENV || 'development',
    tracesSampleRate: Number(process.env.SENTRY_TRACES_SAMPLE_RATE ?? 0) || 0,
    // The token of `POST /webhook/:token` is in the URL: never let it reach Sentry.
    beforeSend(event) {
      if (event.request?.url) event.request.url = redactUrl(event.request.url);
      if (event.request) {
        delete event.request.data;
        delete event.request.headers;
      }
      return event;
    },
    beforeBreadcrumb(breadcrumb) {
      if (typeof breadcrumb.data?.url === 'string') breadcrumb.data.url = redactUrl(breadcrumb.data.url);
      return breadcrumb;
    },
    beforeSendTransaction(event) {
      if (event.transaction) event.transaction = redactUrl(event.transaction);
      if (event.request?.url) event.request.url = redactUrl(event.request.url);
      return event;
    },
  });
}

function redactUrl(url: string): string {
  return url
    .replace(/\/webhook\/[^/?#]+/g, '/webhook/[redacted]')
    .replace(/([?&](?:token|signature|apiKey)=)[^&#]*/gi, '$1[redacted]');
}
