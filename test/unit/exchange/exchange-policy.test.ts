import * as ccxt from 'ccxt';
import { AppError } from '../../../src/errors/app-error';
import {
  type BreakerState,
  ExchangePolicy,
  type ExchangePolicyOptions,
} from '../../../src/exchange/policies/exchange-policy';

const FAST: ExchangePolicyOptions = {
  timeoutMs: 200,
  maxAttempts: 3,
  initialDelayMs: 1,
  maxDelayMs: 5,
  breakerThreshold: 3,
  halfOpenAfterMs: 60,
};

/** A call that fails with the given errors in turn, then succeeds; counts its invocations. */
function scripted(...failures: Error[]) {
  let calls = 0;
  const fn = jest.fn(async () => {
    calls += 1;
    const failure = failures[calls - 1];
    if (failure) throw failure;
    return 'ok';
  });
  return fn;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a rejection');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ExchangePolicy', () => {
  it('when built without options, then an attempt may take 10 s and the breaker starts closed', () => {
    const policy = new ExchangePolicy();
    expect(policy.timeoutMs).toBe(10_000);
    expect(policy.breakerState).toBe('closed');
  });

  it('when a read fails transiently, then it is retried and succeeds', async () => {
    const retries: number[] = [];
    const policy = new ExchangePolicy({ ...FAST, onRetry: (e) => retries.push(e.attempt) });
    const fn = scripted(
      new ccxt.ExchangeNotAvailable('binance 503'),
      new ccxt.RequestTimeout('binance timed out'),
    );
    await expect(policy.read(fn)).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(3);
    expect(retries).toEqual([1, 2]);
  });

  it('when a read keeps failing transiently, then it gives up after maxAttempts with the translated error', async () => {
    const policy = new ExchangePolicy({ ...FAST, breakerThreshold: 100 });
    const fn = jest.fn(async () => {
      throw new ccxt.DDoSProtection('binance 429 Too Many Requests');
    });
    const error = await rejection(policy.read(fn));
    expect(fn).toHaveBeenCalledTimes(3);
    expect({ code: error.code, kind: error.kind }).toEqual({ code: 'rate_limited', kind: 'transient' });
  });

  it('when a read fails permanently, then it is not retried', async () => {
    const policy = new ExchangePolicy(FAST);
    const fn = scripted(
      new ccxt.InsufficientFunds('binance {"code":-2010,"msg":"Account has insufficient balance"}'),
    );
    const error = await rejection(policy.read(fn));
    expect(fn).toHaveBeenCalledTimes(1);
    expect(error).toMatchObject({ code: 'insufficient_funds', kind: 'permanent' });
    expect(error.message).toContain('Account has insufficient balance');
  });

  it('when a write fails transiently, then it is never retried', async () => {
    const policy = new ExchangePolicy(FAST);
    const fn = scripted(new ccxt.NetworkError('binance POST fetch failed: socket hang up'));
    const error = await rejection(policy.write(fn));
    expect(fn).toHaveBeenCalledTimes(1);
    expect(error).toMatchObject({ code: 'network', kind: 'transient' });
  });

  it('when an attempt exceeds the timeout, then it fails as a transient timeout (and a read retries it)', async () => {
    const policy = new ExchangePolicy({ ...FAST, timeoutMs: 30 });
    let calls = 0;
    let firstSignal: AbortSignal | undefined;
    const slowOnce = async (signal: AbortSignal) => {
      calls += 1;
      if (calls === 1) {
        firstSignal = signal;
        await sleep(200);
      }
      return 'ok';
    };
    await expect(policy.read(slowOnce)).resolves.toBe('ok');
    expect(calls).toBe(2);
    // The abandoned attempt is told to stop, for calls that can cooperate.
    expect(firstSignal?.aborted).toBe(true);
    const error = await rejection(policy.write(() => sleep(200)));
    expect(error).toMatchObject({ code: 'timeout', kind: 'transient' });
  });

  it('when N transient failures happen in a row, then the breaker opens, rejects fast, and closes after a half-open success', async () => {
    // Half-open after 1 s, not FAST's 60 ms: on a loaded machine 60 ms can pass between the third failure
    // and the call that must be refused, which then finds the breaker already half-open.
    const policy = new ExchangePolicy({ ...FAST, maxAttempts: 1, halfOpenAfterMs: 1000 });
    const states: BreakerState[] = [];
    policy.onStateChange((state) => states.push(state));
    const failing = jest.fn(async () => {
      throw new ccxt.ExchangeNotAvailable('bybit 503');
    });
    for (let i = 0; i < 3; i += 1) await rejection(policy.read(failing));
    expect(policy.breakerState).toBe('open');

    const untouched = jest.fn(async () => 'never');
    const rejected = await rejection(policy.write(untouched));
    expect(untouched).not.toHaveBeenCalled();
    expect(rejected).toMatchObject({ code: 'circuit_open', kind: 'transient' });

    await sleep(1050);
    await expect(policy.read(async () => 'recovered')).resolves.toBe('recovered');
    expect(policy.breakerState).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('when the breaker is open, then a read does not retry into it', async () => {
    const policy = new ExchangePolicy({
      ...FAST,
      breakerThreshold: 1,
      maxAttempts: 5,
      halfOpenAfterMs: 10_000,
    });
    const failing = jest.fn(async () => {
      throw new ccxt.RequestTimeout('timed out');
    });
    const error = await rejection(policy.read(failing));
    expect(failing).toHaveBeenCalledTimes(1);
    expect(error.code).toBe('circuit_open');
  });

  it('when failures are permanent, then they do not open the breaker', async () => {
    const policy = new ExchangePolicy({ ...FAST, breakerThreshold: 2 });
    for (let i = 0; i < 5; i += 1) {
      await rejection(
        policy.write(async () =>
          Promise.reject(new ccxt.InvalidOrder('binance -1013 Filter failure: NOTIONAL')),
        ),
      );
    }
    expect(policy.breakerState).toBe('closed');
  });

  it('when the breaker is isolated, then calls are rejected until the handle is disposed', async () => {
    const policy = new ExchangePolicy(FAST);
    const handle = policy.isolate();
    expect(policy.breakerState).toBe('isolated');
    const error = await rejection(policy.read(async () => 'x'));
    expect(error).toMatchObject({ code: 'circuit_open', details: { breaker: 'isolated' } });
    handle.dispose();
    await expect(policy.read(async () => 'x')).resolves.toBe('x');
  });

  it('when the wrapped code throws its own AppError, then it leaves the policy unchanged', async () => {
    const policy = new ExchangePolicy(FAST);
    const own = new AppError('no price', { code: 'price_required', kind: 'permanent' });
    await expect(policy.read(async () => Promise.reject(own))).rejects.toBe(own);
  });
});
