import { useState } from 'preact/hooks';
import { type Me, type Page, can, get, post, qs } from '../api';
import { time } from '../format';
import { PagedTable } from '../table';
import { ActionButton, useLoad, usePager } from '../ui';
import { SignalCells, type SignalItem } from './shared';

type DeadItem = SignalItem & { deadLetter?: { handledAt: string; handledBy: string; note?: string } | null };

/** Failed signals to look at, oldest unhandled first; acknowledge with a note. */
export function DeadLetterPage({ me }: { me: Me }) {
  const [handled, setHandled] = useState(false);
  const pager = usePager(String(handled));
  const list = useLoad(`dl:${handled}:${pager.cursor ?? ''}`, () =>
    get<Page<DeadItem>>(`/dead-letter${qs({ handled: handled || undefined, cursor: pager.cursor })}`),
  );
  const [notes, setNotes] = useState<Record<string, string>>({});
  return (
    <section>
      <h1>Dead letter</h1>
      <div class="row" role="group" aria-label="which">
        <button type="button" aria-pressed={!handled} onClick={() => setHandled(false)}>
          Unhandled
        </button>
        <button type="button" aria-pressed={handled} onClick={() => setHandled(true)}>
          Acknowledged
        </button>
      </div>
      <PagedTable
        state={list}
        what="The dead-letter list"
        pager={pager}
        testId="dead-letter"
        columns={['Received', 'Status', 'Account', 'Symbol', 'Reason', handled ? 'Handled' : 'Acknowledge']}
        empty="Nothing here."
      >
        {(s) => (
          <tr key={s.id}>
            <SignalCells signal={s} />
            <td>{s.error ? `${s.error.code}: ${s.error.message}` : '—'}</td>
            <td>
              {handled || s.deadLetter ? (
                <span>
                  {time(s.deadLetter?.handledAt)} {s.deadLetter?.handledBy} {s.deadLetter?.note}
                </span>
              ) : can(me, 'trader') ? (
                <span class="row">
                  <input
                    aria-label={`note for ${s.id}`}
                    placeholder="note (optional)"
                    value={notes[s.id] ?? ''}
                    onInput={(e) => setNotes({ ...notes, [s.id]: e.currentTarget.value })}
                  />
                  <ActionButton
                    label="Acknowledge"
                    action={() =>
                      post(
                        `/dead-letter/${encodeURIComponent(s.id)}/ack`,
                        notes[s.id] ? { note: notes[s.id] } : {},
                      )
                    }
                    onDone={list.reload}
                  />
                </span>
              ) : (
                '—'
              )}
            </td>
          </tr>
        )}
      </PagedTable>
    </section>
  );
}
