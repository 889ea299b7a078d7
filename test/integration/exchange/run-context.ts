import { type RunContext, type RunSession } from '../../../src/execution/run-context';
import { systemClock } from '../../../src/util/clock';
import { mainSignal, silentLogger } from '../../support/memory/main-account';

/**
 * The context the engine gives `placeOnce` on a signal's first run, on a real session: the real clock,
 * progress kept in memory only (what the tests read).
 */
export function firstRunOn(session: RunSession, signalId: string): RunContext {
  return {
    signal: mainSignal({ id: signalId, auth: 'hmac', requestId: `req-${signalId}`, receivedAt: Date.now() }),
    session,
    progress: { stepsDone: 0, orders: [], calls: [] },
    save: async () => {},
    log: silentLogger,
    clock: systemClock,
    firstRun: true,
  };
}
