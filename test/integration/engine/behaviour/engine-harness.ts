import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { AccountConfig } from '../../../../src/config/accounts';
import type { WorkerTuning } from '../../../../src/main/worker-process';
import type { OrderRecord, SignalError } from '../../../../src/signals/signal-record';
import { FAST_POLICY, type FakeExchangeServer, type RecordedRequest } from '../../../support/fake-exchange';
import { type TestApp, eventually, startTestApp, timenow } from '../../../support/test-app';

/**
 * Shared setup of the engine behaviour tests: the real web and worker processes (startTestApp), fake
 * exchanges, and alerts sent over HTTP in token mode, as TradingView sends them.
 */

/** The webhook token of every behaviour app (test 5 checks that it never leaks). */
export const TOKEN = 'behaviour-token-5c1e0a9b7d3f';

/**
 * Millisecond policies and in-process waits, so that retries and breakers play out fast. The call timeout
 * (1 s) is also the receive window: an ambiguous order failure waits 1 s + Binance's 1 s clock tolerance
 * before a miss counts as proof.
 */
export const FAST_TUNING: WorkerTuning = {
  sessions: { policy: { ...FAST_POLICY, timeoutMs: 1_000 } },
  retry: { baseDelayMs: 10, maxDelayMs: 50 },
  // Account snapshots read balances and orders on their own schedule: they would take the failures these
  // tests script for a signal's calls. The snapshot tests turn them on.
  snapshots: false,
};

const FINAL = new Set(['filled', 'placed', 'done', 'canceled', 'rejected', 'failed', 'expired']);

/** A signal record as the worker left it (`<prefix>:signal:<id>`), JSON fields parsed. */
export interface FinalRecord {
  id: string;
  status: string;
  orders: OrderRecord[];
  error?: SignalError;
  notes?: string[];
  attempts: number;
  /** The hash as stored. */
  raw: Record<string, string>;
}

export interface Engine {
  app: TestApp;
  /** Posts an alert (token mode: body token + timestamp; a fresh `id` unless given); expects 202. */
  send(alert: Record<string, unknown>): Promise<string>;
  /** Waits for the signal's final status and returns its record. */
  final(signalId: string, timeoutMs?: number): Promise<FinalRecord>;
  /** `send` then `final`. */
  run(alert: Record<string, unknown>, timeoutMs?: number): Promise<FinalRecord>;
  close(): Promise<void>;
}

/**
 * Starts the fakes (unless already started), then web + worker with `accounts` (the first is the default
 * account of an alert), token auth with {@link TOKEN}, and {@link FAST_TUNING}. `worker: false` starts the
 * web process only (a test that starts and stops its own workers).
 */
export async function startEngine(
  name: string,
  fakes: FakeExchangeServer[],
  accounts: (fakes: FakeExchangeServer[]) => AccountConfig[],
  options: { env?: Record<string, string>; tuning?: WorkerTuning; worker?: boolean } = {},
): Promise<Engine> {
  for (const fake of fakes) if (!hasStarted(fake)) await fake.start();
  const app = await startTestApp(
    name,
    { WEBHOOK_TOKENS: TOKEN, ACCOUNTS: JSON.stringify(accounts(fakes)), ...options.env },
    { worker: options.worker ?? true, tuning: options.tuning ?? FAST_TUNING },
  );
  const send = async (alert: Record<string, unknown>): Promise<string> => {
    const body = { token: TOKEN, timestamp: timenow(), id: randomUUID(), ...alert };
    const res = await request(app.url)
      .post('/webhook')
      .set('content-type', 'application/json')
      .send(JSON.stringify(body));
    if (res.status !== 202) throw new Error(`alert not queued: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const final = (signalId: string, timeoutMs = 5000) =>
    eventually(async () => {
      const h = await app.redis.hgetall(`${app.prefix}:signal:${signalId}`);
      return FINAL.has(h.status) ? parseRecord(h) : undefined;
    }, timeoutMs);
  return {
    app,
    send,
    final,
    run: async (alert, timeoutMs) => final(await send(alert), timeoutMs),
    async close() {
      await app.close();
      await Promise.all(fakes.map((f) => f.close()));
    },
  };
}

function hasStarted(fake: FakeExchangeServer): boolean {
  try {
    return fake.url.length > 0;
  } catch {
    return false;
  }
}

function parseRecord(h: Record<string, string>): FinalRecord {
  return {
    id: h.id,
    status: h.status,
    orders: h.orders ? JSON.parse(h.orders) : [],
    ...(h.error ? { error: JSON.parse(h.error) } : {}),
    ...(h.notes ? { notes: JSON.parse(h.notes) } : {}),
    attempts: Number(h.attempts ?? 0),
    raw: h,
  };
}

/** The client order id a leg of a signal must carry: `th` + the signal id's 24 hex digits + the leg. */
export function clientIdOf(signalId: string, leg: string): string {
  return `th${signalId.replace(/^sig_/, '')}${leg}`;
}

/** The client order id a createOrder request carried, whatever the exchange calls the field. */
export function sentClientId(req: RecordedRequest): string {
  const p = req.params;
  return String(p.newClientOrderId ?? p.clientAlgoId ?? p.orderLinkId ?? '');
}

/** Every createOrder request the fake received for one signal (any leg), in arrival order. */
export function createOrdersFor(fake: FakeExchangeServer, signalId: string): RecordedRequest[] {
  const core = clientIdOf(signalId, '');
  return fake.requestsFor('createOrder').filter((r) => sentClientId(r).startsWith(core));
}

/** Waits a little longer, for anything that should NOT happen (a late order) to get its chance. */
export const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));
