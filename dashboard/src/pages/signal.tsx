import { useCallback } from 'preact/hooks';
import { type Me, can, get, post } from '../api';
import { bps, ms, num, time } from '../format';
import { type LiveEvent, useLive } from '../live';
import { Table, figure } from '../table';
import { ActionButton, Link, Show, Status, useLoad } from '../ui';
import { type SignalItem } from './shared';

interface TimelineEntry {
  event: string;
  leg?: string;
  at: string;
  sinceAlertMs: number;
  sincePreviousMs?: number;
}

interface Order {
  leg: string;
  exchangeId: string | null;
  clientOrderId: string;
  symbol: string;
  side: string;
  type: string;
  amount: number;
  price: number | null;
  filled: number | null;
  average: number | null;
  cost: number | null;
  fee: { cost: number; currency: string } | null;
  status: string;
  slippage: { quote: number; bps: number } | null;
}

interface SignalDetail extends Omit<SignalItem, 'error' | 'orders'> {
  alert: unknown;
  auth: string;
  requestId: string | null;
  attempts: number;
  plan: { steps: unknown[]; notes: unknown[] } | null;
  notes: unknown[];
  orders: Order[];
  calls: { call: string; at: string; ms: number; ok: boolean }[];
  error: { code: string; message: string } | null;
  deadLetter: { handledAt: string; handledBy: string; note?: string } | null;
  timeline: TimelineEntry[];
}

/** The timeline as a waterfall: each step's bar starts where the previous ended, scaled to the total. */
export function Waterfall({ timeline }: { timeline: TimelineEntry[] }) {
  const total = Math.max(1, ...timeline.map((t) => t.sinceAlertMs));
  return (
    <ol class="waterfall" data-testid="timeline" aria-label="timeline from the alert to the fill">
      {timeline.map((t, i) => {
        const start = t.sinceAlertMs - (t.sincePreviousMs ?? 0);
        return (
          <li key={`${t.event}-${i}`}>
            <span class="wf-label">
              {t.event}
              {t.leg ? ` (${t.leg})` : ''}
            </span>
            <span class="wf-track" aria-hidden="true">
              <span
                class="wf-bar"
                ref={(el) => {
                  // Set through the DOM (CSP: no inline style attributes).
                  if (!el) return;
                  el.style.marginLeft = `${(Math.max(0, start) / total) * 100}%`;
                  el.style.width = `${Math.max(0.5, ((t.sincePreviousMs ?? 0) / total) * 100)}%`;
                }}
              />
            </span>
            <span class="wf-time">
              +{ms(t.sinceAlertMs)}
              {t.sincePreviousMs !== undefined && <span class="muted"> (Δ {ms(t.sincePreviousMs)})</span>}
            </span>
            <time class="muted small" dateTime={t.at}>
              {time(t.at)}
            </time>
          </li>
        );
      })}
    </ol>
  );
}

function Json({ value }: { value: unknown }) {
  return (
    <pre class="json" tabIndex={0}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function noteText(n: unknown): string {
  if (typeof n === 'string') return n;
  if (n && typeof n === 'object' && 'message' in n) return String((n as { message: unknown }).message);
  return JSON.stringify(n);
}

/** The plan's notes, then the run's that do not repeat one of the plan's (a flatten's run repeats its plan's). */
function notesOf(s: { plan: { notes: unknown[] } | null; notes: unknown[] }): string[] {
  const planned = (s.plan?.notes ?? []).map(noteText);
  return [...planned, ...(s.notes ?? []).map(noteText).filter((n) => !planned.includes(n))];
}

/** One signal: sanitized alert, plan and notes, orders, reason, timeline, retry. */
export function SignalPage({ id, me }: { id: string; me: Me }) {
  const signal = useLoad(`signal:${id}`, () => get<SignalDetail>(`/signals/${encodeURIComponent(id)}`));
  useLive(
    useCallback(
      (e: LiveEvent) => {
        if (e.type.startsWith('signal.') && (e.data as { id?: string } | null)?.id === id) signal.reload();
      },
      [id, signal.reload],
    ),
  );
  return (
    <section>
      <p>
        <Link href="/signals">← Signals</Link>
      </p>
      <Show state={signal} what="The signal detail">
        {(s) => (
          <>
            <h1>
              {s.market ?? s.symbol} {s.action ?? s.side ?? ''} <Status status={s.status} />
            </h1>
            <p class="muted">
              <code>{s.id}</code> · account {s.account} · received {time(s.receivedAt)} · finished{' '}
              {time(s.finishedAt)} · attempts {s.attempts} · auth {s.auth}
            </p>
            {s.error && (
              <div class="notice error" data-testid="reason">
                <strong>{s.error.code}</strong>: {s.error.message}
              </div>
            )}
            {can(me, 'trader') && (s.status === 'failed' || s.status === 'expired') && (
              <ActionButton
                label="Retry"
                testId="retry"
                action={() => post(`/signals/${encodeURIComponent(s.id)}/retry`)}
                onDone={signal.reload}
              />
            )}
            <h2>Timeline</h2>
            {s.timeline?.length ? <Waterfall timeline={s.timeline} /> : <p class="muted">No timeline.</p>}
            <h2>Orders</h2>
            <Table
              columns={[
                'Leg',
                'Side',
                'Type',
                figure('Amount'),
                figure('Price'),
                figure('Filled'),
                figure('Average'),
                figure('Cost'),
                figure('Fee'),
                'Status',
                figure('Slippage'),
                'Ids',
              ]}
              items={s.orders}
              empty="No orders."
            >
              {(o) => (
                <tr key={o.clientOrderId}>
                  <td>{o.leg}</td>
                  <td>{o.side}</td>
                  <td>{o.type}</td>
                  <td class="num">{num(o.amount)}</td>
                  <td class="num">{num(o.price)}</td>
                  <td class="num">{num(o.filled)}</td>
                  <td class="num">{num(o.average)}</td>
                  <td class="num">{num(o.cost)}</td>
                  <td class="num">{o.fee ? `${num(o.fee.cost)} ${o.fee.currency}` : '—'}</td>
                  <td>
                    <Status status={o.status} />
                  </td>
                  <td class="num">{o.slippage ? bps(o.slippage.bps) : '—'}</td>
                  <td class="small">
                    <code>{o.clientOrderId}</code>
                    <br />
                    <code>{o.exchangeId ?? '—'}</code>
                  </td>
                </tr>
              )}
            </Table>
            <h2>Plan and notes</h2>
            {notesOf(s).length > 0 ? (
              <ul>
                {notesOf(s).map((n, i) => (
                  <li key={i}>{n}</li>
                ))}
              </ul>
            ) : (
              <p class="muted">No notes.</p>
            )}
            {s.plan && (
              <details>
                <summary>Plan steps</summary>
                <Json value={s.plan.steps} />
              </details>
            )}
            <h2>Alert (sanitized)</h2>
            <Json value={s.alert} />
            {s.calls?.length > 0 && (
              <details>
                <summary>Exchange calls ({s.calls.length})</summary>
                <ul>
                  {s.calls.map((c, i) => (
                    <li key={i}>
                      {time(c.at)} {c.call} {ms(c.ms)} {c.ok ? 'ok' : 'failed'}
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </>
        )}
      </Show>
    </section>
  );
}
