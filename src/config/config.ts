import { isIP } from 'node:net';
import { cleanEnv } from 'envalid';
import { ConfigError } from '../errors/config-error';
import { type AccountConfig, loadAccounts } from './accounts';
import { envSpecs } from './env-specs';
import { type TrustProxy } from './parsers';

/** The validated configuration every entry point receives. Built once, at start, by {@link loadConfig}. */
export interface Config {
  port: number;
  nodeEnv: string;
  logLevel: string;
  redis: { url: string; tlsRejectUnauthorized: boolean };
  /** Prefix of every Redis key tradehook writes. */
  prefix: string;
  auth: {
    secrets: string[];
    tokens: string[];
    allowTokenAuth: boolean;
    requireTimestamp: boolean;
    toleranceSeconds: number;
  };
  intake: {
    ipAllowlist: string[];
    trustProxy: TrustProxy;
    rateLimitPerMinute: number;
    bodyLimitBytes: number;
  };
  signalMaxAgeSeconds: number;
  accounts: AccountConfig[];
  paperBalances: Record<string, number>;
  /** Fee rate of paper fills, charged in the quote (settle) currency. */
  paperFeeRate: number;
  /** The web's idle collector (src/main/idle-collector.ts) runs. */
  webIdleGc: boolean;
  /** `WEB_WARM_UP`: the web warms its webhook code at start and after each idle collection. */
  webWarmUp: boolean;
  workerConcurrency: number;
  /** Nice value the worker process lowers its CPU priority to (0: unchanged). */
  workerNice: number;
  adminApiKey: string;
  /** Default per-key request budget of the management API. */
  apiRateLimitPerMinute: number;
  metricsToken: string;
  historyRetentionDays: number;
  /** Outbound notifications (src/notify). */
  notify: {
    allowInsecureUrls: boolean;
    deliveryRetentionHours: number;
    /** Base64 AES-256 key of the secret store; empty: secrets stored unencrypted. */
    secretsKey: string;
    concurrency: number;
  };
  sentry: { dsn: string; environment: string; tracesSampleRate: number };
}

/**
 * Validates the environment and returns the configuration, or throws one {@link ConfigError} that lists
 * every problem found (envalid's per-variable errors and the cross-field rules alike).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const failed = new Set<string>();
  const e = cleanEnv(env, envSpecs, {
    reporter: ({ errors }) => {
      for (const [name, error] of Object.entries(errors)) {
        failed.add(name);
        problems.push(`${name}: ${(error as Error).message}`);
      }
    },
  });
  const ACCOUNT_VARS = [
    'ACCOUNTS',
    'ACCOUNTS_FILE',
    'EXCHANGE',
    'EXCHANGE_API_KEY',
    'EXCHANGE_SECRET',
    'EXCHANGE_PASSWORD',
    'EXCHANGE_SANDBOX',
    'EXCHANGE_PAPER',
  ];
  const { accounts, problems: accountProblems } = ACCOUNT_VARS.some((n) => failed.has(n))
    ? { accounts: [], problems: [] }
    : loadAccounts(e);
  problems.push(...accountProblems, ...crossFieldProblems(e, failed));
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port: e.PORT,
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    redis: { url: e.REDIS_URL, tlsRejectUnauthorized: e.REDIS_TLS_REJECT_UNAUTHORIZED },
    prefix: e.QUEUE_PREFIX,
    auth: {
      secrets: e.WEBHOOK_SECRETS,
      tokens: e.WEBHOOK_TOKENS,
      allowTokenAuth: e.ALLOW_TOKEN_AUTH,
      requireTimestamp: e.REQUIRE_TIMESTAMP,
      toleranceSeconds: e.SIGNAL_TOLERANCE_SECONDS,
    },
    intake: {
      ipAllowlist: e.IP_ALLOWLIST,
      trustProxy: e.TRUST_PROXY,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      bodyLimitBytes: e.BODY_LIMIT,
    },
    signalMaxAgeSeconds: e.SIGNAL_MAX_AGE_SECONDS,
    accounts,
    paperBalances: e.PAPER_BALANCES,
    paperFeeRate: e.PAPER_FEE_RATE,
    webIdleGc: e.WEB_IDLE_GC,
    webWarmUp: e.WEB_WARM_UP,
    workerConcurrency: e.WORKER_CONCURRENCY,
    workerNice: e.WORKER_NICE,
    adminApiKey: e.ADMIN_API_KEY,
    apiRateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    metricsToken: e.METRICS_TOKEN,
    historyRetentionDays: e.HISTORY_RETENTION_DAYS,
    notify: {
      allowInsecureUrls: e.ALLOW_INSECURE_WEBHOOK_URLS,
      deliveryRetentionHours: e.DELIVERY_RETENTION_HOURS,
      secretsKey: e.SUBSCRIPTION_SECRETS_KEY,
      concurrency: e.NOTIFY_CONCURRENCY,
    },
    sentry: {
      dsn: e.SENTRY_DSN,
      environment: e.SENTRY_ENVIRONMENT || e.NODE_ENV,
      tracesSampleRate: e.SENTRY_TRACES_SAMPLE_RATE,
    },
  };
}

type CleanEnv = ReturnType<typeof cleanEnv<typeof envSpecs>>;

/** The rules that span several variables, in one place. */
function crossFieldProblems(e: CleanEnv, failed: Set<string>): string[] {
  const problems: string[] = [];
  if (['ALLOW_TOKEN_AUTH', 'SENTRY_TRACES_SAMPLE_RATE'].some((n) => failed.has(n))) return problems;
  const tokensUsable = e.ALLOW_TOKEN_AUTH && e.WEBHOOK_TOKENS.length > 0;
  if (e.WEBHOOK_SECRETS.length === 0 && !tokensUsable) {
    problems.push(
      e.ALLOW_TOKEN_AUTH
        ? 'WEBHOOK_SECRETS or WEBHOOK_TOKENS: set at least one, or no alert can ever authenticate'
        : 'WEBHOOK_SECRETS: required when ALLOW_TOKEN_AUTH=false',
    );
  }
  // Short tokens are guessable, and the logger's last-resort scrubbing ignores very short values.
  if (e.WEBHOOK_TOKENS.some((t) => t.length < 8))
    problems.push('WEBHOOK_TOKENS: each token needs at least 8 characters');
  if (e.NODE_ENV === 'production' && e.WEBHOOK_TOKENS.includes('change-me')) {
    problems.push('WEBHOOK_TOKENS: replace the .env.example placeholder "change-me" with a random token');
  }
  for (const secret of e.WEBHOOK_SECRETS) {
    if (secret.startsWith('whsec_') && Buffer.from(secret.slice(6), 'base64').length < 16) {
      problems.push('WEBHOOK_SECRETS: a whsec_ secret must hold at least 16 bytes of base64 key');
    }
  }
  // The message never quotes the value: it is an admin credential.
  if (e.ADMIN_API_KEY !== '' && !/^th_[A-Za-z0-9_-]{32,256}$/.test(e.ADMIN_API_KEY)) {
    problems.push(
      'ADMIN_API_KEY: expected th_ followed by 32-256 of A-Z a-z 0-9 _ - (npm run keys -- generate)',
    );
  }
  if (e.SENTRY_TRACES_SAMPLE_RATE < 0 || e.SENTRY_TRACES_SAMPLE_RATE > 1) {
    problems.push('SENTRY_TRACES_SAMPLE_RATE: must lie between 0 and 1');
  }
  if (e.IP_ALLOWLIST.length > 0) {
    for (const entry of e.IP_ALLOWLIST) {
      if (entry.toLowerCase() !== 'tradingview' && !isIpOrCidr(entry)) {
        problems.push(`IP_ALLOWLIST: "${entry}" is neither an IP, a CIDR nor the word tradingview`);
      }
    }
  }
  return problems;
}

function isIpOrCidr(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
}
