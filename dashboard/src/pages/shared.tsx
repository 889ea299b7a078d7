import { type SignalListItem } from '../../../src/history/signal-list-item';
import { type Me, type Page, can, get, post, qs } from '../api';
import { bps, num, time } from '../format';
import { Table, figure } from '../table';
import { ConfirmButton, Link, Status } from '../ui';

/** `GET /api/v1/signals` item (docs/api.md), as the server types it. */
export type SignalItem = SignalListItem;

export interface Account {
  id: string;
  exchange: string;
  paper: boolean;
  sandbox: boolean;
  defaultType?: string | null;
  marketsLoaded: boolean | number | null;
  breaker: string | null;
  paused: { since: string; by?: string; hold?: boolean } | null;
  snapshotAt: string | null;
  balances?: Record<string, { free?: number; used?: number; total?: number }> | null;
  positions?:
    { symbol: string; contracts: number; side: string; entryPrice?: number; unrealizedPnl?: number }[] | null;
  openOrders?: Record<string, unknown>[] | null;
}

export const fetchSignals = (params: Record<string, string | number | undefined>) =>
  get<Page<SignalItem>>(`/signals${qs(params)}`);

export function SignalRows({ items }: { items: SignalItem[] }) {
  return (
    <Table
      testId="signals-table"
      columns={[
        'Received',
        'Status',
        'Account',
        'Symbol',
        'Action',
        'Strategy',
        figure('Filled'),
        figure('Avg price'),
        figure('Slippage'),
        'Reason',
      ]}
      items={items}
      empty="No signals."
    >
      {(s) => (
        <tr key={s.id} data-signal-id={s.id} data-status={s.status}>
          <SignalCells signal={s} />
          <td>{s.action ?? s.side ?? '—'}</td>
          <td>{s.strategy ?? '—'}</td>
          <td class="num">{s.filled ? num(s.filled.amount) : '—'}</td>
          <td class="num">{s.filled ? num(s.filled.average) : '—'}</td>
          <td class="num">{bps(s.slippageBps)}</td>
          <td>{s.error ? <span title={s.error.message}>{s.error.code}</span> : ''}</td>
        </tr>
      )}
    </Table>
  );
}

/** The cells every signal row starts with: when (linking to its page), status, account, market. */
export function SignalCells({ signal: s }: { signal: SignalItem }) {
  return (
    <>
      <td>
        <Link href={`/signals/${encodeURIComponent(s.id)}`}>{time(s.receivedAt)}</Link>
      </td>
      <td>
        <Status status={s.status} />
      </td>
      <td>{s.account}</td>
      <td>{s.market ?? s.symbol}</td>
    </>
  );
}

/** Puts a live signal at its place in a newest-first list (replacing an older version of it). */
export function upsertSignal(items: SignalItem[], item: SignalItem, limit: number): SignalItem[] {
  const rest = items.filter((s) => s.id !== item.id);
  const existing = items.find((s) => s.id === item.id);
  if (existing) return items.map((s) => (s.id === item.id ? { ...s, ...item } : s));
  return [item, ...rest].slice(0, limit);
}

export function isSignalItem(data: unknown): data is SignalItem {
  return (
    !!data && typeof data === 'object' && typeof (data as SignalItem).id === 'string' && 'status' in data
  );
}

/** Pause (kill switch) and resume for one account, or every account when `id` is undefined. */
export function KillSwitch(props: { me: Me; id?: string; paused: boolean; onDone: () => void }) {
  if (!can(props.me, 'trader')) return null;
  const base = props.id === undefined ? '' : `/accounts/${encodeURIComponent(props.id)}`;
  const who = props.id === undefined ? 'every account' : `account "${props.id}"`;
  return props.paused ? (
    <ConfirmButton
      label={props.id === undefined ? 'Resume all' : 'Resume'}
      testId={`resume-${props.id ?? 'all'}`}
      confirm={`Resume ${who}? New signals will execute again.`}
      action={() => post(`${base}/resume`)}
      onDone={props.onDone}
    />
  ) : (
    <ConfirmButton
      label={props.id === undefined ? 'Pause all' : 'Pause'}
      danger
      testId={`pause-${props.id ?? 'all'}`}
      confirm={`Pause ${who}? New signals will be rejected with "paused" until resumed.`}
      action={() => post(`${base}/pause`)}
      onDone={props.onDone}
    />
  );
}

/** Any JSON object as a definition list (for answers whose exact shape may grow). */
export function Facts({ value, testId }: { value: unknown; testId?: string }) {
  const rows: [string, string][] = [];
  const walk = (v: unknown, path: string) => {
    if (v === null || v === undefined) rows.push([path, '—']);
    else if (typeof v === 'number') rows.push([path, /ms$/i.test(path) ? `${num(v, 1)} ms` : num(v)]);
    else if (typeof v === 'string' || typeof v === 'boolean')
      rows.push([path, /At$/.test(path) && typeof v === 'string' ? time(v) : String(v)]);
    else if (Array.isArray(v)) {
      if (v.length === 0) rows.push([path, 'none']);
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
    } else for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(value, '');
  return (
    <dl class="facts" data-testid={testId}>
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
