import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { get, qs } from '../api';
import { amounts } from '../format';
import { Show, useLoad } from '../ui';
import {
  type ExecutionBucket,
  type ExecutionGroup,
  type ExecutionStats,
} from '../../../src/stats/stats-types';

/** Figures read from the API's own answer type (src/stats/stats-types.ts, checked against its schema). */
type Group = ExecutionGroup;

const SERIES: { label: string; value: (b: ExecutionBucket) => number | null }[] = [
  { label: 'alert→sent p50 (ms)', value: (b) => b.alertToSentMs.p50 },
  { label: 'alert→sent p99 (ms)', value: (b) => b.alertToSentMs.p99 },
  { label: 'alert→filled p50 (ms)', value: (b) => b.alertToFilledMs.p50 },
  { label: 'slippage p50 (bps)', value: (b) => b.slippageBps.p50 },
  { label: 'slippage p99 (bps)', value: (b) => b.slippageBps.p99 },
];

const COLORS = ['#2563eb', '#1e3a8a', '#059669', '#d97706', '#b91c1c'];

function Chart({ group, title }: { group: Group; title: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = el.current;
    if (!host) return;
    const buckets = group.buckets;
    const xs = buckets.map((b) => Date.parse(b.start) / 1000);
    const data: uPlot.AlignedData = [xs, ...SERIES.map((s) => buckets.map(s.value))];
    const width = Math.max(280, Math.min(host.clientWidth || 600, 900));
    const plot = new uPlot(
      {
        width,
        height: 220,
        title,
        series: [
          {},
          ...SERIES.map((s, i) => ({
            label: s.label,
            stroke: COLORS[i],
            scale: s.label.includes('bps') ? 'bps' : 'ms',
            spanGaps: true,
          })),
        ],
        axes: [
          {},
          { scale: 'ms', label: 'ms' },
          { scale: 'bps', side: 1, label: 'bps', grid: { show: false } },
        ],
      },
      data,
      host,
    );
    return () => plot.destroy();
  }, [group, title]);
  return <div class="chart" ref={el} />;
}

/** Latency and slippage over time, per symbol or strategy: uPlot, bundled (works offline). */
export function QualityPage() {
  const [groupBy, setGroupBy] = useState<'symbol' | 'strategy'>('symbol');
  const [days, setDays] = useState(1);
  // Both ends from this clock: the window must not exceed the bucket size's limit by the request's delay.
  const now = Date.now();
  const until = new Date(now).toISOString();
  const since = new Date(now - days * 86_400_000).toISOString();
  const stats = useLoad(`quality:${groupBy}:${days}`, () =>
    get<ExecutionStats>(`/stats/execution${qs({ groupBy, since, until, bucket: days > 1 ? '1h' : '5m' })}`),
  );
  return (
    <section>
      <h1>Execution quality</h1>
      <div class="row">
        <label>
          Per{' '}
          <select
            value={groupBy}
            onChange={(e) => setGroupBy(e.currentTarget.value as 'symbol' | 'strategy')}
          >
            <option value="symbol">symbol</option>
            <option value="strategy">strategy</option>
          </select>
        </label>
        <label>
          Over{' '}
          <select value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            <option value={1}>the last day</option>
            <option value={7}>the last 7 days</option>
            <option value={30}>the last 30 days</option>
          </select>
        </label>
      </div>
      <Show state={stats} what="Execution statistics">
        {(answer) => {
          const groups = answer.groups;
          if (groups.length === 0) return <p class="muted">No executions in this window.</p>;
          return (
            <div>
              {groups.map((g) => (
                <article class="card" key={g.group} data-testid="quality-group">
                  <h2>
                    {g.group}{' '}
                    <span class="muted small">
                      {g.totals.total} signals · {g.totals.fills} fills · fees {amounts(g.totals.fees)} ·
                      volume {amounts(g.totals.volume)}
                    </span>
                  </h2>
                  <Chart group={g} title={`${g.group}: latency and slippage`} />
                </article>
              ))}
            </div>
          );
        }}
      </Show>
    </section>
  );
}
