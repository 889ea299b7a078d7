import { useState } from 'preact/hooks';
import { type Me, type Page, can, del, get, patch, post, qs } from '../api';
import {
  ActionButton,
  ConfirmButton,
  Link,
  OneTimeSecret,
  Problem,
  Show,
  fire,
  useAction,
  useLoad,
} from '../ui';
import { PUBLISHED_EVENTS } from '../events';
import { Table } from '../table';
import { type Delivery, Deliveries } from './deliveries';

interface Subscription {
  id: string;
  url: string;
  events: string[];
  format?: string;
  description?: string | null;
  active: boolean;
  secret?: string;
  createdAt?: string;
  disabledReason?: string | null;
}

function SubscriptionForm(props: { existing?: Subscription; onSaved: (secret?: string) => void }) {
  const { existing } = props;
  const [url, setUrl] = useState(existing?.url ?? '');
  const [events, setEvents] = useState<string[]>(existing?.events ?? ['signal.filled', 'signal.failed']);
  const [description, setDescription] = useState(existing?.description ?? '');
  const { error, run } = useAction();
  return (
    <form
      class="card form-grid"
      aria-label={existing ? 'edit subscription' : 'new subscription'}
      onSubmit={fire((e) => {
        e.preventDefault();
        return run(async () => {
          const body = { url, events, ...(description ? { description } : {}) };
          if (existing) {
            await patch(`/subscriptions/${encodeURIComponent(existing.id)}`, body);
            props.onSaved();
          } else {
            const created = await post<Subscription & { secret?: string; publicKey?: string }>(
              '/subscriptions',
              body,
            );
            props.onSaved(created.secret ?? created.publicKey);
          }
        });
      })}
    >
      <h2>{existing ? 'Edit subscription' : 'New subscription'}</h2>
      <label>
        URL
        <input
          type="url"
          required
          value={url}
          onInput={(e) => setUrl(e.currentTarget.value)}
          placeholder="https://…"
        />
      </label>
      <label>
        Description
        <input value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </label>
      <fieldset>
        <legend>Events</legend>
        <div class="checks">
          {PUBLISHED_EVENTS.map((ev) => (
            <label key={ev} class="check">
              <input
                type="checkbox"
                checked={events.includes(ev)}
                onChange={(e) =>
                  setEvents(e.currentTarget.checked ? [...events, ev] : events.filter((x) => x !== ev))
                }
              />
              {ev}
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit" class="primary">
        {existing ? 'Save' : 'Create subscription'}
      </button>
      {error && <Problem error={error} />}
    </form>
  );
}

function SubscriptionDetail({ id, me }: { id: string; me: Me }) {
  const sub = useLoad(`sub:${id}`, () => get<Subscription>(`/subscriptions/${encodeURIComponent(id)}`));
  const [secret, setSecret] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [testResult, setTestResult] = useState<unknown>();
  const [since, setSince] = useState('');
  const [replayed, setReplayed] = useState<number | undefined>();
  const trader = can(me, 'trader');
  return (
    <Show state={sub} what="This subscription">
      {(s) => (
        <section>
          <h1>
            {s.description || s.url}{' '}
            <span class={`badge ${s.active ? 's-filled' : 's-rejected'}`}>
              {s.active ? 'active' : 'disabled'}
            </span>
          </h1>
          <p class="muted">
            <code>{s.url}</code> · {s.events.join(', ')} · secret <code>{s.secret ?? '—'}</code>
          </p>
          {secret && (
            <OneTimeSecret label="The new signing secret" value={secret} onDismiss={() => setSecret(null)} />
          )}
          {trader && (
            <div class="row">
              <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
                Edit
              </button>
              <ActionButton
                label="Send test event"
                testId="send-test"
                action={() => post(`/subscriptions/${encodeURIComponent(s.id)}/test`)}
                onDone={(r) => setTestResult(r)}
              />
              <ActionButton
                label={s.active ? 'Disable' : 'Enable'}
                action={() => patch(`/subscriptions/${encodeURIComponent(s.id)}`, { active: !s.active })}
                onDone={sub.reload}
              />
              <ConfirmButton
                label="Rotate secret"
                confirm="Rotate the signing secret? The receiver must accept the new one (shown once)."
                action={async () => {
                  const r = await patch<{ secret?: string }>(`/subscriptions/${encodeURIComponent(s.id)}`, {
                    rotateSecret: true,
                  });
                  if (r?.secret) setSecret(r.secret);
                }}
                onDone={sub.reload}
              />
              <ConfirmButton
                label="Delete"
                danger
                confirm="Delete this subscription? No more deliveries are sent to it."
                action={() => del(`/subscriptions/${encodeURIComponent(s.id)}`)}
                onDone={sub.reload}
              />
            </div>
          )}
          {testResult !== undefined && (
            <div class="notice" data-testid="test-result" role="status">
              Test event: <strong>{(testResult as Delivery).status ?? 'sent'}</strong>
              {(testResult as Delivery).lastAttempt && (
                <>
                  {' '}
                  · answer {(testResult as Delivery).lastAttempt?.statusCode ?? 'none'}
                  {(testResult as Delivery).lastAttempt?.error &&
                    ` · ${(testResult as Delivery).lastAttempt?.error}`}
                </>
              )}
              <details>
                <summary>Details</summary>
                <pre class="json" tabIndex={0}>
                  {JSON.stringify(testResult, null, 2)}
                </pre>
              </details>
            </div>
          )}
          {trader && (
            <form class="row" aria-label="replay" onSubmit={(e) => e.preventDefault()}>
              <label>
                Replay events since{' '}
                <input type="datetime-local" value={since} onInput={(e) => setSince(e.currentTarget.value)} />
              </label>
              <ActionButton
                label="Replay"
                action={() =>
                  post(
                    `/subscriptions/${encodeURIComponent(s.id)}/replay${qs({ since: since ? new Date(since).toISOString() : undefined })}`,
                  )
                }
                onDone={(r) => setReplayed((r as { queued: number }).queued)}
              />
              {replayed !== undefined && (
                <span role="status" data-testid="replay-result">
                  {replayed === 1 ? '1 delivery queued' : `${replayed} deliveries queued`}
                </span>
              )}
            </form>
          )}
          {editing && (
            <SubscriptionForm
              existing={s}
              onSaved={() => {
                setEditing(false);
                sub.reload();
              }}
            />
          )}
          <Deliveries subscriptionId={s.id} me={me} />
        </section>
      )}
    </Show>
  );
}

/** Outbound notifications: subscriptions, their deliveries with every attempt, test, retry, replay. */
export function SubscriptionsPage({ me, selected }: { me: Me; selected?: string }) {
  const list = useLoad('subs', () => get<Page<Subscription>>('/subscriptions'));
  const [secret, setSecret] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  if (selected)
    return (
      <>
        <p>
          <Link href="/subscriptions">← Subscriptions</Link>
        </p>
        <SubscriptionDetail id={selected} me={me} />
      </>
    );
  return (
    <section>
      <h1>Subscriptions</h1>
      {secret && (
        <OneTimeSecret label="The signing secret" value={secret} onDismiss={() => setSecret(null)} />
      )}
      {can(me, 'trader') && !list.error?.unavailable && (
        <button type="button" class="primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>
          New subscription
        </button>
      )}
      {creating && (
        <SubscriptionForm
          onSaved={(s) => {
            setCreating(false);
            if (s) setSecret(s);
            list.reload();
          }}
        />
      )}
      <Show state={list} what="Notifications">
        {(page) => (
          <Table
            testId="subscriptions"
            columns={['URL', 'Events', 'State', 'Secret']}
            items={page.items}
            empty="No subscriptions."
          >
            {(s) => (
              <tr key={s.id} data-subscription={s.id}>
                <td>
                  <Link href={`/subscriptions/${encodeURIComponent(s.id)}`}>{s.description || s.url}</Link>
                </td>
                <td class="small">{s.events.join(', ')}</td>
                <td>{s.active ? 'active' : 'disabled'}</td>
                <td>
                  <code>{s.secret ?? '—'}</code>
                </td>
              </tr>
            )}
          </Table>
        )}
      </Show>
    </section>
  );
}
