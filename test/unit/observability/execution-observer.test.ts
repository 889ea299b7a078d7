import { slippageBps } from '../../../src/observability/execution-observer';
import { PromExecutionObserver } from '../../../src/observability/metrics-execution';

describe('slippage', () => {
  it.each([
    ['buy', 100, 100.5, 50],
    ['buy', 100, 99.5, -50],
    ['sell', 100, 99.5, 50],
    ['sell', 100, 100.5, -50],
    ['buy', 0, 100, 0],
  ] as const)(
    'when a %s references %d and fills at %d, then it is %d bps (positive = worse)',
    (side, reference, average, bps) => {
      expect(slippageBps({ side, reference, average })).toBeCloseTo(bps, 9);
    },
  );
});

describe('PromExecutionObserver', () => {
  it('when events are reported, then each lands in its metric with its labels, in seconds', async () => {
    const observer = new PromExecutionObserver();
    observer.orderSent({ account: 'a', sinceReceivedMs: 250 });
    observer.exchangeCall({
      account: 'a',
      call: 'fetchOrder',
      durationMs: 100,
      errorCode: 'network',
      errorKind: 'transient',
    });
    observer.signalFinished({ account: 'a', status: 'failed' });
    const text = await observer.registry.metrics();
    expect(text).toContain('tradehook_alert_to_order_seconds_sum{account="a"} 0.25');
    expect(text).toContain(
      'tradehook_exchange_call_errors_total{account="a",call="fetchOrder",code="network",kind="transient"} 1',
    );
    expect(text).toContain('tradehook_signals_finished_total{account="a",status="failed"} 1');
  });
});
