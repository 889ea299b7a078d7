import { Exchange } from 'ccxt';
import { CcxtSession } from '../src/exchange/ccxt/ccxt-session';
import { SignalStore } from '../src/history/signal-store';
import { IntakeService } from '../src/intake/intake-service';
import { SignalQueue } from '../src/queue/signal-queue';
import { SignalWorkers } from '../src/queue/signal-workers';
import { clockMs } from './engine-clock';

/**
 * When each step of one signal happened, on the shared clock (engine-clock.ts). Only the first occurrence of
 * a step is kept (a signal that is retried keeps its first attempt's times).
 */
export interface SignalTrace {
  /** IntakeService.handle entered (the web process has the whole request). */
  intakeStart?: number;
  /** SignalQueue.enqueue resolved: BullMQ's add answered. */
  enqueued?: number;
  /** IntakeService.handle resolved (the 202 is about to be written). */
  intakeEnd?: number;
  /** BullMQ handed the job to SignalWorkers.handle. */
  picked?: number;
  markStart?: number;
  markEnd?: number;
  loadEnd?: number;
  /**
   * First saveProgress: the plan or, when the plan opens with an order, the plan with that order's send
   * record (the kill switch's read goes out right behind it).
   */
  planSaveStart?: number;
  planSaveEnd?: number;
  findStart?: number;
  /** ccxt's fetch2 (the request starts: markets known, arguments built) for the lookup. */
  findCall?: number;
  /** ccxt's rate limiter let the lookup through. */
  findThrottled?: number;
  /** ccxt's fetch (after its rate limiter and signing) for the lookup. */
  findFetch?: number;
  findEnd?: number;
  createStart?: number;
  createCall?: number;
  createThrottled?: number;
  /** ccxt's fetch (after its rate limiter and signing) for the order. */
  createFetch?: number;
  createEnd?: number;
  /** Second saveProgress: the step done. */
  stepSaveEnd?: number;
  finishStart?: number;
  finishEnd?: number;
}

export interface Trace {
  /** Per signal id (`sig_…`). */
  signals: Map<string, SignalTrace>;
  /** Puts every patched method back. */
  uninstall(): void;
}

type AnyFn = (...args: unknown[]) => unknown;

/**
 * Times the steps of every signal by wrapping methods of tradehook's classes (and ccxt's `fetch`) on their
 * prototypes, at runtime: nothing under src/ changes. Must be installed before startWeb/startWorker build
 * their objects (ccxt copies `fetch` onto each exchange instance when it is constructed). A wrapper costs a
 * clock read and a Map lookup per call.
 */
export function installTrace(): Trace {
  const signals = new Map<string, SignalTrace>();
  const restore: Array<() => void> = [];
  const of = (signalId: string | undefined): SignalTrace | undefined => {
    if (!signalId) return undefined;
    let t = signals.get(signalId);
    if (!t) signals.set(signalId, (t = {}));
    return t;
  };
  const first = (t: SignalTrace | undefined, field: keyof SignalTrace, at = clockMs()) => {
    if (t && t[field] === undefined) t[field] = at;
  };
  /** Wraps `proto[name]`: `before` runs at the call and may return what runs once it settles. */
  const around = (
    proto: object,
    name: string,
    before: (self: unknown, args: unknown[]) => ((result: unknown) => void) | void,
  ) => {
    const target = proto as Record<string, AnyFn>;
    const original = target[name];
    if (typeof original !== 'function') throw new Error(`trace: ${name} is not a method any more`);
    target[name] = function (this: unknown, ...args: unknown[]) {
      const after = before(this, args);
      const result = original.apply(this, args);
      if (after) {
        Promise.resolve(result).then(after, () => undefined);
      }
      return result;
    };
    restore.push(() => {
      target[name] = original;
    });
  };
  const fromClientId = (clientOrderId: unknown) =>
    typeof clientOrderId === 'string' && /^th[0-9a-f]{24}/.test(clientOrderId)
      ? `sig_${clientOrderId.slice(2, 26)}`
      : undefined;

  around(IntakeService.prototype, 'handle', () => {
    const start = clockMs();
    return (response) => {
      const t = of((response as { signalId?: string }).signalId);
      first(t, 'intakeStart', start);
      first(t, 'intakeEnd');
    };
  });
  around(
    SignalQueue.prototype,
    'enqueue',
    (_self, [signal]) =>
      () =>
        first(of((signal as { id: string }).id), 'enqueued'),
  );
  around(SignalWorkers.prototype, 'handle', (_self, [job]) => {
    first(of((job as { data: { id: string } }).data.id), 'picked');
  });
  around(SignalStore.prototype, 'start', (_self, [signal]) => {
    const t = of((signal as { id: string }).id);
    first(t, 'markStart');
    return () => {
      first(t, 'markEnd');
      first(t, 'loadEnd');
    };
  });
  around(SignalStore.prototype, 'saveProgress', (_self, [id]) => {
    const t = of(id as string);
    if (!t) return;
    if (t.planSaveStart === undefined) {
      t.planSaveStart = clockMs();
      return () => first(t, 'planSaveEnd');
    }
    return () => first(t, 'stepSaveEnd');
  });
  around(SignalStore.prototype, 'finish', (_self, [id]) => {
    const t = of(id as string);
    first(t, 'finishStart');
    return () => first(t, 'finishEnd');
  });
  around(CcxtSession.prototype, 'findOrder', (_self, [, clientOrderId]) => {
    const t = of(fromClientId(clientOrderId));
    first(t, 'findStart');
    return () => first(t, 'findEnd');
  });
  around(CcxtSession.prototype, 'createOrder', (_self, [intent]) => {
    const t = of(fromClientId((intent as { clientOrderId: string }).clientOrderId));
    first(t, 'createStart');
    return () => first(t, 'createEnd');
  });
  // ccxt's fetch2 calls its rate limiter (throttle) synchronously before its first await: the request being
  // started is known to the throttle wrapper through `current`.
  let current: { t: SignalTrace; lookup: boolean } | undefined;
  const exchangeProto = Exchange.prototype as unknown as Record<string, AnyFn>;
  const fetch2 = exchangeProto.fetch2;
  exchangeProto.fetch2 = function (this: unknown, ...args: unknown[]) {
    const params = (args[3] ?? {}) as Record<string, unknown>;
    const lookup = params.origClientOrderId !== undefined;
    const t = of(fromClientId(lookup ? params.origClientOrderId : params.newClientOrderId));
    first(t, lookup ? 'findCall' : 'createCall');
    current = t ? { t, lookup } : undefined;
    try {
      return fetch2.apply(this, args);
    } finally {
      current = undefined;
    }
  };
  restore.push(() => {
    exchangeProto.fetch2 = fetch2;
  });
  around(Exchange.prototype, 'throttle', () => {
    const c = current;
    if (c) return () => first(c.t, c.lookup ? 'findThrottled' : 'createThrottled');
  });
  around(Exchange.prototype, 'fetch', (_self, [url, , , body]) => {
    const text = `${String(url)} ${typeof body === 'string' ? body : ''}`;
    const match = /(orig|new)ClientOrderId=(th[0-9a-f]{24})/.exec(text);
    if (!match) return;
    first(of(fromClientId(match[2])), match[1] === 'orig' ? 'findFetch' : 'createFetch');
  });

  return {
    signals,
    uninstall() {
      for (const undo of restore.reverse()) undo();
    },
  };
}
