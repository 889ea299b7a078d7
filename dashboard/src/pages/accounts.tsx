import { type Me, type Page, can, get, post } from '../api';
import { num, time } from '../format';
import { ConfirmButton, Show, useLoad } from '../ui';
import { type Account, Facts, KillSwitch } from './shared';

function AccountCard({ account, me, reload }: { account: Account; me: Me; reload: () => void }) {
  const detail = useLoad(`account:${account.id}:${account.snapshotAt ?? ''}`, () =>
    get<Account>(`/accounts/${encodeURIComponent(account.id)}`),
  );
  const a = detail.data ?? account;
  const balances = Object.entries(a.balances ?? {}).filter(([, b]) => (b.total ?? 0) !== 0);
  return (
    <article class="card" data-account={a.id} aria-labelledby={`acc-${a.id}`}>
      <h2 id={`acc-${a.id}`}>
        {a.id}{' '}
        {a.paused ? <span class="badge s-rejected">paused</span> : <span class="badge s-filled">active</span>}
      </h2>
      <p class="muted">
        {a.exchange}
        {a.paper ? ' · paper' : ''}
        {a.sandbox ? ' · sandbox' : ''}
        {a.defaultType ? ` · ${a.defaultType}` : ''} · markets {a.marketsLoaded ? 'loaded' : 'not loaded'} ·
        breaker <span class={`badge b-${a.breaker ?? 'unknown'}`}>{a.breaker ?? '?'}</span> · seen{' '}
        {time(a.snapshotAt)}
      </p>
      {a.paused && (
        <p>
          Paused since {time(a.paused.since)}
          {a.paused.by ? ` by ${a.paused.by}` : ''}
          {a.paused.hold ? ' (holding signals)' : ''}
        </p>
      )}
      <div class="row">
        <KillSwitch me={me} id={a.id} paused={!!a.paused} onDone={reload} />
        {can(me, 'trader') && (
          <ConfirmButton
            label="Flatten"
            danger
            testId={`flatten-${a.id}`}
            confirm={`Flatten "${a.id}"? Every open order is canceled and every derivatives position closed at market. Spot holdings are left alone.`}
            action={() => post(`/accounts/${encodeURIComponent(a.id)}/flatten`)}
            onDone={reload}
          />
        )}
      </div>
      <h3>Balances</h3>
      {balances.length === 0 ? (
        <p class="muted">None seen.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Asset</th>
              <th class="num">Free</th>
              <th class="num">Used</th>
              <th class="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {balances.map(([asset, b]) => (
              <tr key={asset}>
                <td>{asset}</td>
                <td class="num">{num(b.free)}</td>
                <td class="num">{num(b.used)}</td>
                <td class="num">{num(b.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Positions</h3>
      {(a.positions ?? []).length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Symbol</th>
              <th>Side</th>
              <th class="num">Contracts</th>
              <th class="num">Entry</th>
              <th class="num">Unrealized PnL</th>
            </tr>
          </thead>
          <tbody>
            {(a.positions ?? []).map((p) => (
              <tr key={p.symbol + p.side}>
                <td>{p.symbol}</td>
                <td>{p.side}</td>
                <td class="num">{num(p.contracts)}</td>
                <td class="num">{num(p.entryPrice)}</td>
                <td class="num">{num(p.unrealizedPnl)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Open orders</h3>
      {(a.openOrders ?? []).length === 0 ? (
        <p class="muted">{detail.data ? 'None.' : '…'}</p>
      ) : (
        (a.openOrders ?? []).map((o, i) => <Facts key={i} value={o} />)
      )}
    </article>
  );
}

/** Accounts as the worker last saw them, with pause/resume and flatten. */
export function AccountsPage({ me }: { me: Me }) {
  const accounts = useLoad('accounts', () => get<Page<Account> | Account[]>('/accounts'));
  return (
    <section>
      <h1>Accounts</h1>
      <Show state={accounts} what="The account list">
        {(answer) => (
          <div class="grid">
            {(Array.isArray(answer) ? answer : answer.items).map((a) => (
              <AccountCard key={a.id} account={a} me={me} reload={accounts.reload} />
            ))}
          </div>
        )}
      </Show>
    </section>
  );
}
