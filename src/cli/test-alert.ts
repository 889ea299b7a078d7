import { randomUUID } from 'node:crypto';
import { secretKey, sign } from '../intake/hmac';

/** Statuses after which a signal changes no more on its own (`placed` rests on the book: reported as it is). */
export const SETTLED_STATUSES = ['filled', 'placed', 'done', 'canceled', 'rejected', 'failed', 'expired'];
const GOOD_STATUSES = new Set(['filled', 'placed', 'done']);

export interface TestAlertOptions {
  /** The webhook URL, e.g. `https://my-app.herokuapp.com/webhook`. */
  url: string;
  /** Token mode: one of `WEBHOOK_TOKENS` (sent in the body). */
  token?: string;
  /** HMAC mode: one of `WEBHOOK_SECRETS` (Standard Webhooks headers). */
  secret?: string;
  /** A viewer (or better) API key: follows the signal through `GET /api/v1/signals/:id`. */
  apiKey?: string;
  /** Send nothing to the webhook; with an API key, ask the server for the plan (`?dryRun=true`). */
  dryRun?: boolean;
  /** The alert's fields besides authentication, id and timestamp. */
  alert: Record<string, string>;
  /** How long to follow the signal. @defaultValue 60000 */
  timeoutMs?: number;
  /** Between two reads of the record. @defaultValue 500 */
  pollMs?: number;
}

export interface TestAlertDeps {
  fetch: typeof fetch;
  out: (line: string) => void;
  /** @defaultValue Date.now */
  now?: () => number;
  /** @defaultValue setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

interface TimelineEntry {
  event: string;
  at: string;
  leg?: string;
  sinceAlertMs?: number;
  sincePreviousMs?: number;
}

/** The base URL of the server from its webhook URL (`…/webhook` or `…/webhook/<token>`). */
export function serverBaseOf(webhookUrl: string): string {
  const url = new URL(webhookUrl);
  url.pathname = url.pathname.replace(/\/webhook(\/[^/]*)?\/?$/, '') || '/';
  url.search = '';
  return url.toString().replace(/\/$/, '');
}

function timenow(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const mask = (value: string) => (value.length <= 4 ? '…' : `${value.slice(0, 2)}…${value.slice(-2)}`);

/**
 * Sends one test alert (token or HMAC), then — with an API key — follows its record until it settles,
 * printing the timeline. Returns the exit code: 0 when it filled, rests or finished cleanly, 1 otherwise.
 */
export async function runTestAlert(options: TestAlertOptions, deps: TestAlertDeps): Promise<number> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const { out } = deps;
  const base = serverBaseOf(options.url);
  const id = `test-alert-${randomUUID()}`;
  const body = JSON.stringify({
    ...(options.secret ? {} : { token: options.token }),
    timestamp: timenow(now()),
    id,
    ...options.alert,
  });

  if (options.dryRun) return dryRun(options, body, base, deps);

  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.secret) {
    const webhookId = `msg_${randomUUID()}`;
    const timestamp = String(Math.floor(now() / 1000));
    Object.assign(headers, {
      'webhook-id': webhookId,
      'webhook-timestamp': timestamp,
      'webhook-signature': sign(secretKey(options.secret), webhookId, timestamp, body),
    });
  }
  const sentAt = now();
  const res = await deps.fetch(options.url, { method: 'POST', headers, body });
  const answer = (await res.json().catch(() => ({}))) as { id?: string; status?: string; error?: string };
  out(`POST ${options.url} (${options.secret ? 'HMAC' : 'token'}) → ${res.status} ${JSON.stringify(answer)}`);
  if (res.status !== 202 && res.status !== 200) {
    if (res.status === 401)
      out('refused: check the token/secret, and that this machine’s clock is right (timestamp window)');
    if (res.status === 403)
      out(
        'refused: this machine’s address is not in IP_ALLOWLIST (with IP_ALLOWLIST=tradingview only TradingView may send): unset it for the test, then set it again',
      );
    return 1;
  }
  if (!options.apiKey || !answer.id) {
    out('queued. Pass --api-key <viewer key> to follow it to its final status.');
    return 0;
  }
  return follow(answer.id, { ...options, apiKey: options.apiKey }, base, sentAt, { ...deps, now, sleep });
}

async function follow(
  signalId: string,
  options: TestAlertOptions & { apiKey: string },
  base: string,
  sentAt: number,
  deps: TestAlertDeps & { now: () => number; sleep: (ms: number) => Promise<void> },
): Promise<number> {
  const deadline = sentAt + (options.timeoutMs ?? 60_000);
  let last = '';
  for (;;) {
    const res = await deps.fetch(`${base}/api/v1/signals/${encodeURIComponent(signalId)}`, {
      headers: { authorization: `Bearer ${options.apiKey}` },
    });
    if (res.status === 401 || res.status === 403) {
      deps.out(`GET /api/v1/signals/${signalId} → ${res.status}: the API key may not read signals`);
      return 1;
    }
    if (res.status === 200) {
      const record = (await res.json()) as {
        status: string;
        timeline?: TimelineEntry[];
        orders?: { side: string; amount: number; filled: number; average: number | null; status: string }[];
        error?: { code: string; message: string } | null;
        notes?: string[];
      };
      if (record.status !== last) deps.out(`status: ${record.status}`);
      last = record.status;
      if (SETTLED_STATUSES.includes(record.status)) {
        printRecord(record, deps.out);
        return GOOD_STATUSES.has(record.status) ? 0 : 1;
      }
    } else if (res.status !== 404) {
      deps.out(`GET /api/v1/signals/${signalId} → ${res.status}`);
    }
    if (deps.now() >= deadline) {
      deps.out(
        `no final status within ${(options.timeoutMs ?? 60_000) / 1000} s (last: ${last || 'not recorded'})`,
      );
      return 1;
    }
    await deps.sleep(options.pollMs ?? 500);
  }
}

function printRecord(
  record: {
    timeline?: TimelineEntry[];
    orders?: { side: string; amount: number; filled: number; average: number | null; status: string }[];
    error?: { code: string; message: string } | null;
    notes?: string[];
  },
  out: (line: string) => void,
): void {
  out('timeline:');
  for (const entry of record.timeline ?? []) {
    const since = entry.sinceAlertMs === undefined ? '' : `+${entry.sinceAlertMs} ms`;
    out(`  ${since.padStart(10)}  ${entry.event}${entry.leg ? ` (${entry.leg})` : ''}  ${entry.at}`);
  }
  for (const order of record.orders ?? [])
    out(
      `order: ${order.side} ${order.amount} → filled ${order.filled} at ${order.average ?? '–'} (${order.status})`,
    );
  for (const note of record.notes ?? []) out(`note: ${note}`);
  if (record.error) out(`error: ${record.error.code}: ${record.error.message}`);
}

async function dryRun(
  options: TestAlertOptions,
  body: string,
  base: string,
  deps: TestAlertDeps,
): Promise<number> {
  const { token: _token, ...alert } = JSON.parse(body) as Record<string, unknown>;
  if (!options.apiKey) {
    const shown = JSON.parse(body) as Record<string, unknown>;
    if (typeof shown.token === 'string') shown.token = mask(shown.token);
    deps.out(
      `dry run: would POST ${options.url} (${options.secret ? 'HMAC-signed' : 'token'}) ${JSON.stringify(shown)}`,
    );
    deps.out('nothing sent. Pass --key <trader key> to have the server plan it against live markets.');
    return 0;
  }
  const res = await deps.fetch(`${base}/api/v1/signals?dryRun=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(alert),
  });
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  deps.out(`POST /api/v1/signals?dryRun=true → ${res.status}`);
  if (res.status !== 200) {
    deps.out(`refused: ${JSON.stringify(answer)}`);
    return 1;
  }
  printPlan(answer as unknown as PlanAnswer, deps.out);
  return answer.outcome === 'would_place' || answer.outcome === 'nothing_to_do' ? 0 : 1;
}

interface PlanAnswer {
  account: string;
  exchange: string;
  outcome: string;
  market: { symbol: string; type: string } | null;
  intents: Array<Record<string, unknown> & { leg: string; side: string; type: string; amount: number }>;
  actions: Array<{ kind: string; symbol: string; leverage?: number; mode?: string }>;
  notes: string[];
  refusal: { code: string; reason: string } | null;
}

/** The plan as a terminal table: one line per order, then the other steps, notes and any refusal. */
function printPlan(plan: PlanAnswer, out: (line: string) => void): void {
  const market = plan.market ? `${plan.market.symbol} (${plan.market.type})` : 'no market';
  out(`plan: ${plan.outcome} on ${plan.account} (${plan.exchange}), ${market}`);
  for (const action of plan.actions)
    out(`  step: ${action.kind} ${action.symbol} ${action.leverage ?? action.mode ?? ''}`.trimEnd());
  if (plan.intents.length > 0) {
    const rows = [
      ['leg', 'side', 'type', 'amount', 'price', 'flags', 'est. cost'],
      ...plan.intents.map((o) => [
        o.leg,
        o.side,
        o.type,
        String(o.amount),
        String(o.price ?? o.triggerPrice ?? o.referencePrice ?? '–'),
        [o.reduceOnly ? 'reduceOnly' : '', o.postOnly ? 'postOnly' : ''].filter(Boolean).join(',') || '–',
        String(o.estimatedCost ?? '–'),
      ]),
    ];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const row of rows) out(`  ${row.map((cell, c) => cell.padEnd(widths[c])).join('  ')}`.trimEnd());
  }
  for (const note of plan.notes) out(`note: ${note}`);
  if (plan.refusal) out(`refused: ${plan.refusal.code}: ${plan.refusal.reason}`);
}
