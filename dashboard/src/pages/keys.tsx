import { useState } from 'preact/hooks';
import { type Me, type Page, type Role, can, del, get, post, qs } from '../api';
import { time } from '../format';
import { PagedTable } from '../table';
import { ConfirmButton, OneTimeSecret, Problem, fire, useAction, useLoad, usePager } from '../ui';

interface ApiKey {
  id: string;
  name: string;
  role: Role;
  state: 'active' | 'expired' | 'revoked';
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  rateLimitPerMinute: number;
  bootstrap?: boolean;
}

function CreateKey({ onCreated }: { onCreated: (raw: string) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [expires, setExpires] = useState('');
  const { error, run } = useAction();
  return (
    <form
      class="card form-grid"
      aria-label="create a key"
      onSubmit={fire((e) => {
        e.preventDefault();
        return run(async () => {
          const created = await post<ApiKey & { apiKey: string }>('/keys', {
            name,
            role,
            ...(expires ? { expiresAt: new Date(expires).toISOString() } : {}),
          });
          setName('');
          onCreated(created.apiKey);
        });
      })}
    >
      <h2>New key</h2>
      <label>
        Name
        <input required maxLength={64} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        Role
        <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          <option value="viewer">viewer — reads</option>
          <option value="trader">trader — also signals, pause, subscriptions</option>
          <option value="admin">admin — everything</option>
        </select>
      </label>
      <label>
        Expires (optional)
        <input type="datetime-local" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary">
        Create key
      </button>
      {error && <Problem error={error} />}
    </form>
  );
}

/** Admin only: create (the raw key shown once, with a copy button), list, revoke. */
export function KeysPage({ me }: { me: Me }) {
  const pager = usePager('keys');
  const keys = useLoad(`keys:${pager.cursor ?? ''}`, () =>
    get<Page<ApiKey>>(`/keys${qs({ limit: 50, cursor: pager.cursor })}`),
  );
  const [raw, setRaw] = useState<string | null>(null);
  if (!can(me, 'admin'))
    return (
      <section>
        <h1>API keys</h1>
        <p>Only an admin key can see and manage keys.</p>
      </section>
    );
  return (
    <section>
      <h1>API keys</h1>
      {raw && <OneTimeSecret label="The new API key" value={raw} onDismiss={() => setRaw(null)} />}
      <CreateKey
        onCreated={(k) => {
          setRaw(k);
          keys.reload();
        }}
      />
      <PagedTable
        state={keys}
        what="Key management"
        pager={pager}
        testId="keys-table"
        columns={[
          'Name',
          'Role',
          'State',
          'Created',
          'Expires',
          'Last used',
          'Limit/min',
          { label: 'Actions', hidden: true },
        ]}
      >
        {(k) => (
          <tr key={k.id} data-key-id={k.id}>
            <td>
              {k.name}
              {k.id === me.keyId && <span class="muted"> (you)</span>}
            </td>
            <td>{k.role}</td>
            <td>
              <span class={`badge k-${k.state}`}>{k.state}</span>
            </td>
            <td>{time(k.createdAt)}</td>
            <td>{time(k.expiresAt)}</td>
            <td>{time(k.lastUsedAt)}</td>
            <td>{k.rateLimitPerMinute}</td>
            <td>
              {k.state === 'active' && (
                <ConfirmButton
                  label="Revoke"
                  danger
                  testId={`revoke-${k.id}`}
                  confirm={`Revoke "${k.name}"? Every script and session using it stops at once.`}
                  action={() => del(`/keys/${encodeURIComponent(k.id)}`)}
                  onDone={keys.reload}
                />
              )}
            </td>
          </tr>
        )}
      </PagedTable>
    </section>
  );
}
