import { bool, makeValidator, num, str } from 'envalid';
import { parseBalances, parseBytes, parseList, parseTrustProxy } from './parsers';

const list = makeValidator<string[]>(parseList);
const redisUrl = makeValidator<string>((input) => {
  let protocol = '';
  try {
    protocol = new URL(input).protocol;
  } catch {
    // fall through: the message must not quote the input, which may hold a password
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:')
    throw new Error('expected redis://[:password@]host:port or rediss://…');
  return input;
});
const bytes = makeValidator<number>(parseBytes);
const trustProxy = makeValidator(parseTrustProxy);
const balances = makeValidator(parseBalances);
const positiveInt = makeValidator<number>((input) => {
  const value = Number(input);
  if (!Number.isInteger(value) || value < 1) throw new Error(`expected a whole number ≥ 1, got "${input}"`);
  return value;
});
/** A nice value to lower a process's CPU priority to: 0 (unchanged) to 19 (lowest). */
const niceValue = makeValidator<number>((input) => {
  const value = Number(input);
  if (!/^\d+$/.test(input.trim()) || value > 19)
    throw new Error(`expected a nice value 0-19, got "${input}"`);
  return value;
});
/** A TCP port; 0 asks the OS for a free one (tests, benchmarks). */
const port = makeValidator<number>((input) => {
  const value = Number(input);
  if (!/^\d+$/.test(input.trim()) || value > 65535)
    throw new Error(`expected a port 0-65535, got "${input}"`);
  return value;
});
/** A fee rate as a fraction of the traded value: 0.001 is 0.1 %; 10 % and more is surely a typo for percent. */
const feeRate = makeValidator<number>((input) => {
  const value = Number(input);
  if (input.trim() === '' || !Number.isFinite(value) || value < 0 || value >= 0.1)
    throw new Error(`expected a fraction 0 ≤ rate < 0.1 (0.001 = 0.1 %), got "${input}"`);
  return value;
});
const keyPrefix = makeValidator<string>((input) => {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(input)) throw new Error('use 1-64 characters of A-Z a-z 0-9 _ . -');
  return input;
});

/** 32 bytes of key in base64 (`openssl rand -base64 32`); the message never quotes the value. */
const secretsKey = makeValidator<string>((input) => {
  if (input !== '' && (!/^[A-Za-z0-9+/]+={0,2}$/.test(input) || Buffer.from(input, 'base64').length !== 32))
    throw new Error('expected 32 bytes in base64 (openssl rand -base64 32)');
  return input;
});

/**
 * Every environment variable tradehook reads, with its description and default. The names are part of
 * the public contract (docs/contract.md); `.env.example` mirrors this list and a test keeps them equal.
 */
export const envSpecs = {
  PORT: port({ default: 3000, desc: 'HTTP port of the web process.' }),
  NODE_ENV: str({ default: 'development', desc: '`production` switches logs to JSON.' }),
  LOG_LEVEL: str({
    default: 'info',
    choices: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'],
    desc: 'winston log level.',
  }),
  REDIS_URL: redisUrl({ default: 'redis://127.0.0.1:6379', desc: 'Redis connection; rediss:// for TLS.' }),
  REDIS_TLS_REJECT_UNAUTHORIZED: bool({
    default: true,
    desc: 'Verify the Redis TLS certificate. Heroku Redis uses a self-signed one: set false there.',
  }),
  QUEUE_PREFIX: keyPrefix({ default: 'tradehook', desc: 'Prefix of every Redis key tradehook writes.' }),
  WEBHOOK_SECRETS: list({ default: [], desc: 'HMAC secrets (comma-separated; whsec_ = base64 key).' }),
  WEBHOOK_TOKENS: list({
    default: [],
    desc: 'Tokens accepted in the body or the URL path (comma-separated).',
  }),
  ALLOW_TOKEN_AUTH: bool({ default: true, desc: 'Accept token authentication (TradingView cannot sign).' }),
  REQUIRE_TIMESTAMP: bool({ default: true, desc: 'Token-mode alerts must carry a `timestamp`.' }),
  SIGNAL_TOLERANCE_SECONDS: positiveInt({
    default: 300,
    desc: 'Accepted clock distance of an alert timestamp, both directions.',
  }),
  SIGNAL_MAX_AGE_SECONDS: positiveInt({
    default: 300,
    desc: 'A queued signal older than this is expired, not executed.',
  }),
  IP_ALLOWLIST: list({ default: [], desc: 'IPs/CIDRs allowed to call /webhook; `tradingview` = its 4 IPs.' }),
  TRUST_PROXY: trustProxy({ default: false, desc: 'Proxy hops to trust for X-Forwarded-For (Heroku: 1).' }),
  RATE_LIMIT_PER_MINUTE: positiveInt({ default: 120, desc: 'Webhook requests per client IP per minute.' }),
  BODY_LIMIT: bytes({ default: 16 * 1024, desc: 'Largest accepted webhook body (e.g. 16kb).' }),
  ACCOUNTS: str({ default: '', desc: 'JSON array of accounts (see README).' }),
  ACCOUNTS_FILE: str({ default: '', desc: 'Path of a JSON file holding the accounts array.' }),
  EXCHANGE: str({ default: 'paper', desc: 'Exchange of the single default account (ccxt id or paper).' }),
  EXCHANGE_API_KEY: str({ default: '', desc: 'API key of the default account.' }),
  EXCHANGE_SECRET: str({ default: '', desc: 'API secret of the default account.' }),
  EXCHANGE_PASSWORD: str({ default: '', desc: 'API passphrase of the default account (OKX, KuCoin…).' }),
  EXCHANGE_SANDBOX: bool({ default: false, desc: "Use the default account's exchange testnet." }),
  EXCHANGE_PAPER: bool({
    default: false,
    desc: "Paper-trade the default account against its exchange's real markets and prices (no keys needed).",
  }),
  PAPER_BALANCES: balances({
    default: { USDT: 10000 },
    desc: 'Starting balances of the paper exchanges (offline and paper: true accounts).',
  }),
  PAPER_FEE_RATE: feeRate({
    default: 0.001,
    desc: 'Fee of every paper fill, maker and taker alike, as a fraction of its value (0.001 = 0.1 %).',
  }),
  WEB_IDLE_GC: bool({
    default: true,
    desc: "Web: once quiet after a burst, collect garbage so that its memory is back near idle within seconds (the warm-up, WEB_WARM_UP, then compiles the webhook's code again); false keeps the memory until V8 collects by itself.",
  }),
  WEB_WARM_UP: bool({
    default: true,
    desc: 'Web: at start and after each idle collection, send itself 2,000 alerts on keys of its own (removed afterwards) so that the next burst finds its code compiled. Stops as soon as a real request arrives.',
  }),
  WORKER_CONCURRENCY: positiveInt({ default: 8, desc: 'Jobs in flight per worker process.' }),
  WORKER_NICE: niceValue({
    default: 10,
    desc: 'CPU priority of the worker process as a nice value (0 = unchanged, 19 = lowest): on a shared host the web acknowledges alerts first.',
  }),
  ADMIN_API_KEY: str({
    default: '',
    desc: 'Bootstrap admin key of the management API: th_ followed by 32+ of A-Z a-z 0-9 _ -.',
  }),
  API_RATE_LIMIT_PER_MINUTE: positiveInt({
    default: 600,
    desc: 'Default requests per minute of one management API key (a key may set its own).',
  }),
  METRICS_TOKEN: str({ default: '', desc: 'Bearer token protecting /metrics (empty: open).' }),
  HISTORY_RETENTION_DAYS: positiveInt({ default: 30, desc: 'Days signal records are kept.' }),
  ALLOW_INSECURE_WEBHOOK_URLS: bool({
    default: false,
    desc: 'Notifications: allow http:// and loopback receiver urls (development and tests only).',
  }),
  DELIVERY_RETENTION_HOURS: positiveInt({ default: 72, desc: 'Hours notification deliveries are kept.' }),
  SUBSCRIPTION_SECRETS_KEY: secretsKey({
    default: '',
    desc: 'Encrypts subscription secrets at rest (AES-256-GCM): 32 random bytes, base64.',
  }),
  NOTIFY_CONCURRENCY: positiveInt({
    default: 10,
    desc: 'Notification attempts in flight per worker process.',
  }),
  SENTRY_DSN: str({ default: '', desc: 'Sentry DSN; error reporting is off without it.' }),
  SENTRY_ENVIRONMENT: str({ default: '', desc: 'Sentry environment (default: NODE_ENV).' }),
  SENTRY_TRACES_SAMPLE_RATE: num({ default: 0, desc: 'Share of requests traced by Sentry (0-1).' }),
};
