import { AsyncLocalStorage } from 'node:async_hooks';
import type { Exchange } from 'ccxt';
import { ExchangeError } from '../errors/exchange-error';
import type { ExchangeTraits } from './exchange-traits';

/**
 * Without a receive window an exchange may execute a request whenever it gets to it; an order that a
 * lookup has not found this long after its call timed out is taken as never placed. A heuristic: only the
 * exchanges listed in the traits table give a real bound.
 */
export const NO_WINDOW_GRACE_MS = 60_000;

/** One createOrder request being sent under a pinned timestamp. */
interface PinnedRequest {
  /** The timestamp the request is signed with (epoch ms, our clock). */
  signedAt: number;
  windowMs: number;
  /** Aborted when the call's attempt timed out: the request must not leave any more. */
  abort: AbortSignal;
}

// Carries the pinned request through ccxt's async createOrder (throttle → sign → fetch) without touching
// other calls running on the same instance at the same time.
const pinned = new AsyncLocalStorage<PinnedRequest>();

/** Signature of ccxt's `sign(path, api, method, params, headers, body)`. */
type SignFn = (...args: unknown[]) => {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: unknown;
};

/**
 * The receive window of one ccxt exchange instance (docs/contract.md "Execution"): how long a createOrder
 * request can still be accepted after it was sent, bounded by the exchange itself.
 *
 * - The window is set no longer than the call's timeout (Binance/Bybit `recvWindow`; OKX `expTime`), so an
 *   order request whose call timed out cannot be executed much later than that.
 * - Each order request is signed with the time the caller recorded as its send time (`sentAt`), never a
 *   later one: the exchange then refuses it after `sentAt + windowMs` on its clock, and the caller knows
 *   when that is even after a crash.
 * - A request still waiting for ccxt's rate limiter when its attempt timed out, or when its window passed,
 *   is not sent at all (`not_sent`).
 */
export class OrderWindow {
  /** The window the exchange enforces (ms after the signed timestamp). */
  readonly windowMs: number;
  /** How long after `sentAt` the exchange may still accept the request, on our clock (see the session). */
  readonly acceptWindowMs: number;

  constructor(
    private readonly exchange: Exchange,
    traits: ExchangeTraits,
    callTimeoutMs: number,
  ) {
    const window = traits.receiveWindow;
    switch (window.kind) {
      case 'relative': {
        const configured = Number(exchange.options[window.option] ?? window.defaultMs);
        this.windowMs = Math.min(configured > 0 ? configured : window.defaultMs, window.maxMs, callTimeoutMs);
        exchange.options[window.option] = this.windowMs;
        this.acceptWindowMs = this.windowMs + traits.clockToleranceMs;
        break;
      }
      case 'deadlineHeader':
        this.windowMs = callTimeoutMs;
        this.acceptWindowMs = this.windowMs + traits.clockToleranceMs;
        break;
      case 'none':
        this.windowMs = callTimeoutMs;
        this.acceptWindowMs = this.windowMs + Number(exchange.timeout ?? 0) + NO_WINDOW_GRACE_MS;
        break;
    }
    this.install(window.kind === 'deadlineHeader' ? window.header : undefined);
  }

  /**
   * Runs `send` (one ccxt createOrder) with its requests signed at `sentAt` (or now, if that is earlier:
   * never later than the caller thinks). `abort` is the attempt's timeout signal.
   */
  send<T>(options: { sentAt?: number; abort: AbortSignal }, send: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const signedAt = Math.min(options.sentAt ?? now, now);
    return pinned.run({ signedAt, windowMs: this.windowMs, abort: options.abort }, send);
  }

  private install(deadlineHeader: string | undefined): void {
    const exchange = this.exchange;
    const nonce = exchange.nonce.bind(exchange) as () => number;
    const sign = exchange.sign.bind(exchange) as SignFn;
    // ccxt's nonce() is its clock minus the measured difference to the exchange's; keep that correction.
    const difference = () => Number(exchange.options.timeDifference ?? 0);
    exchange.nonce = () => {
      const request = pinned.getStore();
      return request ? request.signedAt - difference() : nonce();
    };
    exchange.sign = (...args: unknown[]) => {
      const request = pinned.getStore();
      if (!request) return sign(...args);
      refuseIfStale(request);
      const signed = sign(...args);
      if (deadlineHeader) {
        const deadline = request.signedAt - difference() + request.windowMs;
        signed.headers = { ...signed.headers, [deadlineHeader]: String(deadline) };
      }
      return signed;
    };
  }
}

function refuseIfStale(request: PinnedRequest): void {
  if (request.abort.aborted) {
    throw new ExchangeError('order request not sent: its attempt timed out while it waited to be sent', {
      code: 'not_sent',
      kind: 'transient',
    });
  }
  if (Date.now() > request.signedAt + request.windowMs) {
    throw new ExchangeError('order request not sent: its receive window passed while it waited to be sent', {
      code: 'not_sent',
      kind: 'transient',
    });
  }
}
