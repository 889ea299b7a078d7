import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { editDistance } from '../util/edit-distance';
import { CCXT_EXCHANGE_IDS } from './ccxt-exchange-ids';

/** The offline simulator's exchange id. */
export const PAPER_EXCHANGE = 'paper';

export const accountSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'use 1-32 characters of A-Z a-z 0-9 _ -'),
    exchange: z.string().min(1),
    apiKey: z.string().optional(),
    secret: z.string().optional(),
    password: z.string().optional(),
    /** Use the exchange's testnet (ccxt `setSandboxMode`). */
    sandbox: z.boolean().default(false),
    /** Simulate fills against the real exchange's markets and prices; no order reaches the exchange. */
    paper: z.boolean().default(false),
    /** Passed verbatim to the ccxt constructor (options, urls, timeout…). */
    ccxt: z.record(z.string(), z.unknown()).default({}),
    /**
     * Market type that unmarked symbols (`BTCUSDT`) resolve to. @defaultValue the exchange class's own:
     * `spot` for `binance`, `swap` for derivatives-only classes such as `binanceusdm`.
     */
    defaultType: z.enum(['spot', 'swap']).optional(),
    /** Symbol allowlist (any format an alert may use); empty = all. */
    symbols: z.array(z.string().min(1)).default([]),
    /** Largest notional (quote currency) a single order may have. */
    maxOrderCost: z.number().positive().optional(),
  })
  .strict();

export type AccountConfig = z.infer<typeof accountSchema>;

export interface AccountSources {
  ACCOUNTS: string;
  ACCOUNTS_FILE: string;
  EXCHANGE: string;
  EXCHANGE_API_KEY: string;
  EXCHANGE_SECRET: string;
  EXCHANGE_PASSWORD: string;
  EXCHANGE_SANDBOX: boolean;
  EXCHANGE_PAPER: boolean;
}

/**
 * Builds the account list from `ACCOUNTS`, `ACCOUNTS_FILE`, or the single-account `EXCHANGE_*` shortcut.
 * Returns the problems found instead of throwing, so that config loading can list every problem at once.
 */
export function loadAccounts(src: AccountSources): { accounts: AccountConfig[]; problems: string[] } {
  if (src.ACCOUNTS && src.ACCOUNTS_FILE) {
    return { accounts: [], problems: ['ACCOUNTS and ACCOUNTS_FILE are both set: use one of them'] };
  }
  let raw: unknown;
  let origin = 'ACCOUNTS';
  if (src.ACCOUNTS_FILE) {
    origin = `ACCOUNTS_FILE (${src.ACCOUNTS_FILE})`;
    try {
      raw = JSON.parse(readFileSync(src.ACCOUNTS_FILE, 'utf8'));
    } catch (error) {
      if (error instanceof SyntaxError) {
        return { accounts: [], problems: [`${origin}: not valid JSON (expected an array of accounts)`] };
      }
      return { accounts: [], problems: [`${origin}: cannot read a JSON file: ${(error as Error).message}`] };
    }
  } else if (src.ACCOUNTS) {
    try {
      raw = JSON.parse(src.ACCOUNTS);
    } catch {
      return { accounts: [], problems: ['ACCOUNTS: not valid JSON (expected an array of accounts)'] };
    }
  } else {
    raw = [
      {
        id: 'default',
        exchange: src.EXCHANGE,
        apiKey: src.EXCHANGE_API_KEY || undefined,
        secret: src.EXCHANGE_SECRET || undefined,
        password: src.EXCHANGE_PASSWORD || undefined,
        sandbox: src.EXCHANGE_SANDBOX,
        paper: src.EXCHANGE_PAPER,
      },
    ];
    origin = 'EXCHANGE_*';
  }
  const parsed = z.array(accountSchema).min(1, 'at least one account is required').safeParse(raw);
  if (!parsed.success) {
    // Issue paths name the account index and field; values are never echoed (they may be secrets).
    const problems = parsed.error.issues.map(
      (i) => `${origin}${i.path.map((p) => `[${String(p)}]`).join('')}: ${i.message}`,
    );
    return { accounts: [], problems };
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const account of parsed.data) {
    if (seen.has(account.id)) problems.push(`${origin}: account id "${account.id}" is used twice`);
    seen.add(account.id);
    const unknown = unknownExchangeProblem(account.exchange);
    if (unknown) {
      problems.push(`${origin}: account "${account.id}": ${unknown}`);
      continue;
    }
    const needsKeys = account.exchange !== PAPER_EXCHANGE && !account.paper;
    if (needsKeys && (!account.apiKey || !account.secret)) {
      // Name the settings this user can set: the shortcut's variables, or the account's fields.
      problems.push(
        origin === 'EXCHANGE_*'
          ? `EXCHANGE: "${account.exchange}" needs EXCHANGE_API_KEY and EXCHANGE_SECRET, or EXCHANGE_PAPER=true to paper-trade against its real prices`
          : `${origin}: account "${account.id}" (${account.exchange}) needs apiKey and secret, or paper: true`,
      );
    }
  }
  return { accounts: parsed.data, problems };
}

/**
 * Why `exchange` names no exchange tradehook can trade on, or `undefined`. Checked against the ids of the
 * installed ccxt listed at build time, so the web process refuses a typo at start too, without loading ccxt.
 */
function unknownExchangeProblem(exchange: string): string | undefined {
  if (exchange === PAPER_EXCHANGE || CCXT_EXCHANGE_IDS.includes(exchange)) return undefined;
  const lower = exchange.toLowerCase();
  let best = PAPER_EXCHANGE;
  for (const id of CCXT_EXCHANGE_IDS) if (editDistance(lower, id) < editDistance(lower, best)) best = id;
  const hint = editDistance(lower, best) <= 2 ? ` (did you mean "${best}"?)` : '';
  return `"${exchange}" is neither a ccxt exchange id nor "paper"${hint}`;
}
