import { SIGNAL_STATUSES } from '../../../src/signals/signal-record';
import { useCallback, useState } from 'preact/hooks';
import { localInputToIso } from '../format';
import { type LiveEvent, useLive } from '../live';
import { Pager, Show, useLoad, usePager } from '../ui';
import { SignalRows, fetchSignals, isSignalItem, upsertSignal } from './shared';

interface Filters {
  status: string;
  account: string;
  symbol: string;
  strategy: string;
  since: string;
  until: string;
}

const EMPTY: Filters = { status: '', account: '', symbol: '', strategy: '', since: '', until: '' };

function fromUrl(): Filters {
  const q = new URLSearchParams(location.search);
  return Object.fromEntries(Object.keys(EMPTY).map((k) => [k, q.get(k) ?? ''])) as unknown as Filters;
}

/** The signal log: filters (kept in the URL), cursor pages, and live updates on the first page. */
export function SignalsPage() {
  const [filters, setFilters] = useState<Filters>(fromUrl);
  const [draft, setDraft] = useState<Filters>(filters);
  const key = JSON.stringify(filters);
  const pager = usePager(key);
  const limit = 50;
  const signals = useLoad(`${key}:${pager.cursor ?? ''}`, () =>
    fetchSignals({
      limit,
      cursor: pager.cursor,
      status: filters.status || undefined,
      account: filters.account || undefined,
      symbol: filters.symbol || undefined,
      strategy: filters.strategy || undefined,
      since: localInputToIso(filters.since),
      until: localInputToIso(filters.until),
    }),
  );
  const filtered = Object.values(filters).some(Boolean);
  useLive(
    useCallback(
      (e: LiveEvent) => {
        if (!e.type.startsWith('signal.') || !isSignalItem(e.data)) return;
        const item = e.data;
        signals.set((page) => {
          if (!page) return page;
          const known = page.items.some((s) => s.id === item.id);
          // New signals join the first page only when no filter could exclude them; known rows always update.
          if (!known && (filtered || !pager.first)) return page;
          return { ...page, items: upsertSignal(page.items, item, limit) };
        });
      },
      [signals.set, filtered, pager.first],
    ),
  );
  const field = (name: keyof Filters, label: string, dateTime = false) => {
    const onInput = (e: { currentTarget: HTMLInputElement }) =>
      setDraft({ ...draft, [name]: e.currentTarget.value });
    return (
      <label>
        {label}
        {dateTime ? (
          <input type="datetime-local" name={name} value={draft[name]} onInput={onInput} />
        ) : (
          <input type="text" name={name} value={draft[name]} onInput={onInput} />
        )}
      </label>
    );
  };
  return (
    <section>
      <h1>Signals</h1>
      <form
        class="filters card"
        aria-label="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
          const q = new URLSearchParams(Object.entries(draft).filter(([, v]) => v) as [string, string][]);
          history.replaceState(null, '', `${location.pathname}${q.size ? `?${q}` : ''}`);
        }}
      >
        <label>
          Status
          <select
            value={draft.status}
            onChange={(e) => setDraft({ ...draft, status: e.currentTarget.value })}
          >
            <option value="">any</option>
            {SIGNAL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
            <option value="failed,expired">failed or expired</option>
          </select>
        </label>
        {field('account', 'Account')}
        {field('symbol', 'Symbol')}
        {field('strategy', 'Strategy')}
        {field('since', 'Since', true)}
        {field('until', 'Until', true)}
        <div class="row">
          <button type="submit" class="primary">
            Apply
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft(EMPTY);
              setFilters(EMPTY);
              history.replaceState(null, '', location.pathname);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <Show state={signals} what="The signal log">
        {(page) => (
          <>
            <SignalRows items={page.items} />
            <Pager pager={pager} nextCursor={page.nextCursor} />
          </>
        )}
      </Show>
    </section>
  );
}
