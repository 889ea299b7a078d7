import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { SignalStore } from '../../../src/history/signal-store';
import { redisKeys } from '../../../src/redis/keys';
import { timenow } from '../../support/test-app';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

const ROOT = join(__dirname, '../../..');
const ALERTS = 120;
const SYMBOLS = ['BTC', 'ETH', 'SOL', 'XRP'];
const TOKEN = 'sigterm-token-123';

interface Proc {
  child: ChildProcess;
  exit: Promise<number | null>;
  output: () => string;
}

/** Starts `src/main/<name>.ts` as its own process, as a Heroku dyno runs it (production logs). */
function start(name: 'web' | 'worker', env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', `src/main/${name}.ts`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return {
    child,
    exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    output: () => out,
  };
}

async function until<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string | (() => string),
  tries = 600,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${typeof what === 'string' ? what : what()}`);
}

const portOf = (web: Proc) =>
  until(() => /"port":(\d+)/.exec(web.output())?.[1], 'the web process to listen').then(Number);

const body = (i: number) =>
  JSON.stringify({
    token: TOKEN,
    timestamp: timenow(),
    id: `load-${i}`,
    symbol: `${SYMBOLS[i % SYMBOLS.length]}USDT`,
    action: 'buy',
    quantity: '0.001',
    price: '100',
  });

/** One alert as TradingView sends it: the answer's JSON, or undefined when no 2xx came back. */
async function send(port: number, i: number): Promise<{ id: string; status: string } | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(i),
    });
    return res.status === 202 || res.status === 200
      ? ((await res.json()) as { id: string; status: string })
      : undefined;
  } catch {
    return undefined; // refused or reset while shutting down: the sender sends it again
  }
}

describe('SIGTERM under load (a Heroku restart or deploy)', () => {
  const prefix = uniquePrefix('sigterm');
  const env = {
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    NODE_ENV: 'production',
    PORT: '0',
    WEBHOOK_TOKENS: TOKEN,
    EXCHANGE: 'paper',
    PAPER_FEE_RATE: '0',
    PAPER_BALANCES: 'USDT:100000',
    RATE_LIMIT_PER_MINUTE: '100000',
  };
  const redis = new Redis(REDIS_URL);
  const procs: Proc[] = [];
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('when web and worker get SIGTERM mid-stream, then both exit 0 and every alert executes exactly once after the restart', async () => {
    let web = start('web', env);
    let worker = start('worker', env);
    procs.push(web, worker);
    let port = await portOf(web);
    await until(
      () => (worker.output().includes('"message":"worker started"') ? true : undefined),
      'the worker',
    );

    // A stream of alerts, 8 in flight; SIGTERM both processes once a third has been answered.
    const answers = new Map<number, { id: string; status: string }>();
    let next = 0;
    let terminated = false;
    const senders = Array.from({ length: 8 }, async () => {
      while (next < ALERTS) {
        const i = next++;
        const answer = await send(port, i);
        if (answer) answers.set(i, answer);
        if (!terminated && answers.size >= ALERTS / 3) {
          terminated = true;
          web.child.kill('SIGTERM');
          worker.child.kill('SIGTERM');
        }
      }
    });
    await Promise.all(senders);
    expect({ web: await web.exit, worker: await worker.exit }).toEqual({ web: 0, worker: 0 });
    expect(web.output() + worker.output()).toContain('"message":"stopped"');
    const answeredBeforeRestart = answers.size;
    expect(answeredBeforeRestart).toBeLessThan(ALERTS); // the shutdown really cut the stream

    // Heroku starts the new dynos; the sender resends what got no 2xx (same body, same id).
    web = start('web', env);
    worker = start('worker', env);
    procs.push(web, worker);
    port = await portOf(web);
    for (let i = 0; i < ALERTS; i++) {
      if (answers.has(i)) continue;
      const answer = await until(() => send(port, i), `alert ${i} to be accepted after the restart`);
      answers.set(i, answer);
    }

    // Every alert is one signal, and every signal filled exactly one order.
    const ids = new Set([...answers.values()].map((a) => a.id));
    expect(ids.size).toBe(ALERTS);
    const store = new SignalStore(redis, redisKeys(prefix), 1);
    let unfinished: Record<string, number> = {};
    const records = await until(
      async () => {
        const all = await Promise.all([...ids].map((id) => store.get(id)));
        const final = (r: (typeof all)[number]) =>
          r !== undefined && r !== null && ['filled', 'failed', 'rejected', 'expired'].includes(r.status);
        unfinished = {};
        for (const r of all)
          if (!final(r)) unfinished[r?.status ?? 'missing'] = (unfinished[r?.status ?? 'missing'] ?? 0) + 1;
        return all.every(final) ? all : undefined;
      },
      () => `every signal to finish (unfinished by status: ${JSON.stringify(unfinished)})`,
      2400,
    );
    const summary = records.map((r) => ({
      status: r?.status,
      orders: r?.orders.length,
      filled: r?.orders[0]?.filled,
    }));
    expect(summary.filter((s) => s.status !== 'filled' || s.orders !== 1 || s.filled !== 0.001)).toEqual([]);

    // The paper exchange saw each order once: the wallet holds exactly ALERTS × 0.001 in all.
    const book = JSON.parse((await redis.hget(`${prefix}:paper:default:book`, 'book')) ?? '{}') as {
      wallet: Record<string, string>;
    };
    const bought = SYMBOLS.reduce((sum, base) => sum + Number(book.wallet[base] ?? 0), 0);
    expect(bought.toFixed(6)).toBe((ALERTS * 0.001).toFixed(6));

    web.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect({ web: await web.exit, worker: await worker.exit }).toEqual({ web: 0, worker: 0 });
  }, 300_000);
});
