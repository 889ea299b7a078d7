import { useState } from 'preact/hooks';
import { type Me, type Page, can, get, post, qs } from '../api';
import { ms, time } from '../format';
import { PagedTable } from '../table';
import { ActionButton, Show, useLoad, usePager } from '../ui';

interface Attempt {
  at: string;
  statusCode: number | null;
  durationMs: number | null;
  response?: string | null;
  error?: string | null;
}

export interface Delivery {
  id: string;
  subscriptionId: string;
  event: string;
  eventId?: string;
  status: string;
  createdAt?: string;
  attemptCount?: number;
  attempts?: Attempt[];
  lastAttempt?: { at: string; statusCode: number | null; error: string | null } | null;
  nextAttemptAt?: string | null;
}

function Attempts({ id }: { id: string }) {
  const d = useLoad(`delivery:${id}`, () => get<Delivery>(`/deliveries/${encodeURIComponent(id)}`));
  return (
    <Show state={d} what="Delivery attempts">
      {(delivery) => (
        <ol class="attempts">
          {(delivery.attempts ?? []).map((a, i) => (
            <li key={i}>
              {time(a.at)} · {a.statusCode ?? 'no answer'} · {ms(a.durationMs)}
              {a.error && <span class="error-text"> · {a.error}</span>}
              {a.response && (
                <pre class="json" tabIndex={0}>
                  {a.response}
                </pre>
              )}
            </li>
          ))}
        </ol>
      )}
    </Show>
  );
}

/** A subscription's delivery log, filtered by status, each with its attempts and (for traders) a retry. */
export function Deliveries({ subscriptionId, me }: { subscriptionId: string; me: Me }) {
  const [status, setStatus] = useState('');
  const pager = usePager(`${subscriptionId}:${status}`);
  const list = useLoad(`deliveries:${subscriptionId}:${status}:${pager.cursor ?? ''}`, () =>
    get<Page<Delivery>>(`/deliveries${qs({ subscriptionId, status, cursor: pager.cursor, limit: 50 })}`),
  );
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section aria-labelledby="deliveries">
      <h2 id="deliveries">Deliveries</h2>
      <div class="row">
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">any</option>
            <option value="pending">pending</option>
            <option value="succeeded">succeeded</option>
            <option value="failed">failed</option>
            <option value="dead">dead</option>
          </select>
        </label>
        <button type="button" onClick={list.reload}>
          Refresh
        </button>
      </div>
      <PagedTable
        state={list}
        what="The delivery log"
        pager={pager}
        testId="deliveries"
        columns={['Created', 'Event', 'Status', 'Attempts', { label: 'Actions', hidden: true }]}
        empty="No deliveries."
      >
        {(d) => (
          <>
            <tr key={d.id} data-delivery={d.id} data-event={d.event}>
              <td>{time(d.createdAt)}</td>
              <td>{d.event}</td>
              <td>
                <span class={`badge d-${d.status}`}>{d.status}</span>
              </td>
              <td>
                {d.attemptCount ?? d.attempts?.length ?? '—'}
                {d.lastAttempt && (
                  <span class="muted small">
                    {' '}
                    last {d.lastAttempt.statusCode ?? d.lastAttempt.error ?? '—'}
                  </span>
                )}
              </td>
              <td class="row">
                <button
                  type="button"
                  aria-expanded={open === d.id}
                  onClick={() => setOpen(open === d.id ? null : d.id)}
                >
                  Attempts
                </button>
                {can(me, 'trader') && (
                  <ActionButton
                    label="Retry"
                    action={() => post(`/deliveries/${encodeURIComponent(d.id)}/retry`)}
                    onDone={list.reload}
                  />
                )}
              </td>
            </tr>
            {open === d.id && (
              <tr key={`${d.id}-attempts`}>
                <td colSpan={5}>
                  <Attempts id={d.id} />
                </td>
              </tr>
            )}
          </>
        )}
      </PagedTable>
    </section>
  );
}
