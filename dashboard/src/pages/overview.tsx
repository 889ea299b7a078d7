import { type StatsSummary } from '../../../src/stats/stats-types';
import { useCallback } from 'preact/hooks';
import { type Me, type Page, get } from '../api';
import { type LiveEvent, useLive } from '../live';
import { amounts } from '../format';
import { Link, Show, useLoad } from '../ui';
import {
  type Account,
  Facts,
  KillSwitch,
  SignalRows,
  fetchSignals,
  isSignalItem,
  upsertSignal,
  type SignalItem,
} from './shared';

function AccountSwitches({ me }: { me: Me }) {
  const accounts = useLoad('accounts', () => get<Page<Account> | Account[]>('/accounts'));
  useLive(
    useCallback(
      (e: LiveEvent) => {
        if (e.type.startsWith('account.')) accounts.reload();
      },
      [accounts.reload],
    ),
  );
  return (
    <section class="card" aria-labelledby="ks">
      <h2 id="ks">Kill switch</h2>
      <Show state={accounts} what="The account list">
        {(answer) => {
          const list = Array.isArray(answer) ? answer : answer.items;
          const anyActive = list.some((a) => !a.paused);
          return (
            <>
              <div class="row">
                <KillSwitch me={me} paused={false} onDone={accounts.reload} />
                <KillSwitch me={me} paused onDone={accounts.reload} />
                {!anyActive && list.length > 0 && <span class="badge s-rejected">all paused</span>}
              </div>
              <ul class="switches">
                {list.map((a) => (
                  <li key={a.id} data-account={a.id}>
                    <strong>{a.id}</strong> <span class="muted">{a.exchange}</span>{' '}
                    {a.paused ? (
                      <span class="badge s-rejected">paused</span>
                    ) : (
                      <span class="badge s-filled">active</span>
                    )}{' '}
                    <span class={`badge b-${a.breaker ?? 'unknown'}`}>breaker {a.breaker ?? 'unknown'}</span>{' '}
                    <KillSwitch me={me} id={a.id} paused={!!a.paused} onDone={accounts.reload} />
                  </li>
                ))}
              </ul>
            </>
          );
        }}
      </Show>
    </section>
  );
}

function LastSignals() {
  const signals = useLoad('last-signals', () => fetchSignals({ limit: 10 }));
  useLive(
    useCallback(
      (e: LiveEvent) => {
        if (e.type.startsWith('signal.') && isSignalItem(e.data)) {
          const item: SignalItem = e.data;
          signals.set((page) => page && { ...page, items: upsertSignal(page.items, item, 10) });
        }
      },
      [signals.set],
    ),
  );
  return (
    <section class="card wide" aria-labelledby="last">
      <h2 id="last">
        Last signals <Link href="/signals">all →</Link>
      </h2>
      <Show state={signals} what="The signal log">
        {(page) => <SignalRows items={page.items} />}
      </Show>
    </section>
  );
}

const ms = (x: number | null) => (x === null ? '–' : `${x} ms`);
const bps = (x: number | null) => (x === null ? '–' : `${x} bps`);

/** The last day's figures (`GET /stats/summary`): outcomes, latency and slippage percentiles, fills. */
function SummaryFacts({ summary: s }: { summary: StatsSummary }) {
  const rows: [label: string, value: string, testId: string][] = [
    ['signals', String(s.total), 'total'],
    ...Object.entries(s.counts).map(([status, n]): [string, string, string] => [status, String(n), status]),
    ['alert→order sent p50 / p99', `${ms(s.alertToSentMs.p50)} / ${ms(s.alertToSentMs.p99)}`, 'sent'],
    [
      'alert→filled p50 / p99',
      `${ms(s.alertToFilledMs.p50)} / ${ms(s.alertToFilledMs.p99)}`,
      'filled-latency',
    ],
    ['slippage p50 / p99', `${bps(s.slippageBps.p50)} / ${bps(s.slippageBps.p99)}`, 'slippage'],
    ['fills', String(s.fills), 'fills'],
    ['fees', amounts(s.fees), 'fees'],
  ];
  return (
    <dl class="facts" data-testid="summary">
      {rows.map(([label, value, testId]) => (
        <div key={testId}>
          <dt>{label}</dt>
          <dd data-testid={`summary-${testId}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The first screen: kill switch, health, last signals, today's counts and execution figures. */
export function OverviewPage({ me }: { me: Me }) {
  const system = useLoad('system', () => get<unknown>('/system'));
  const since = new Date(Date.now() - 86_400_000).toISOString();
  const summary = useLoad('summary', () =>
    get<StatsSummary>(`/stats/summary?since=${encodeURIComponent(since)}`),
  );
  return (
    <section>
      <h1>Overview</h1>
      <div class="grid">
        <AccountSwitches me={me} />
        <section class="card" aria-labelledby="health">
          <h2 id="health">Health</h2>
          <Show state={system} what="System health">
            {(s) => <Facts value={s} testId="system" />}
          </Show>
        </section>
        <section class="card" aria-labelledby="today">
          <h2 id="today">Last 24 hours</h2>
          <Show state={summary} what="The statistics summary">
            {(s) => <SummaryFacts summary={s} />}
          </Show>
        </section>
        <LastSignals />
      </div>
    </section>
  );
}
