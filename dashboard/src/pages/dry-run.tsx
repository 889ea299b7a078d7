import { useState } from 'preact/hooks';
import { type DryRunAnswer, type DryRunIntent } from '../../../src/dryrun/dry-run-answer';
import { ApiError, type Issue, type Me, can, post } from '../api';
import { num } from '../format';
import { Problem, fire, useAction } from '../ui';

const EXAMPLE = `{
  "symbol": "BINANCE:BTCUSDT",
  "action": "buy",
  "quantity": "0.01",
  "price": "50000",
  "comment": "ema-cross"
}`;

/** One order the alert would send, and the whole answer of `POST /api/v1/signals?dryRun=true`. */
type Intent = DryRunIntent;
type DryRun = DryRunAnswer;

const HEADINGS: Record<DryRun['outcome'], string> = {
  would_place: 'Would place',
  nothing_to_do: 'Nothing to do',
  refused: 'Would be refused',
  error: 'Could not plan',
};

/** Paste an alert as TradingView would send it; see validation and the orders it would place. */
export function DryRunPage({ me }: { me: Me }) {
  const [text, setText] = useState(EXAMPLE);
  const [result, setResult] = useState<DryRun>();
  const { busy, error, setError, run } = useAction();
  if (!can(me, 'trader'))
    return (
      <section>
        <h1>Dry run</h1>
        <p>A dry run needs a trader or admin key (it reads live markets and balances).</p>
      </section>
    );
  return (
    <section>
      <h1>Dry run</h1>
      <form
        class="card"
        onSubmit={fire(async (e) => {
          e.preventDefault();
          setError(undefined);
          setResult(undefined);
          let alert: unknown;
          try {
            alert = JSON.parse(text);
          } catch (err) {
            setError(new ApiError(400, 'invalid_json', `the alert is not JSON: ${String(err)}`));
            return;
          }
          await run(async () => setResult(await post<DryRun>('/signals?dryRun=true', alert)));
        })}
      >
        <label for="alert">Alert message (JSON, as in the TradingView alert)</label>
        <textarea
          id="alert"
          rows={12}
          spellcheck={false}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <p class="muted small">
          Nothing is placed or recorded: a worker plans it against the account’s live markets and balances.
          Placeholders like {'{{timenow}}'} are kept as text.
        </p>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Planning…' : 'Validate and plan'}
        </button>
      </form>
      {error && error.code === 'invalid_signal' ? (
        <FieldProblems issues={error.issues} />
      ) : (
        error && <Problem error={error} what="Dry run" />
      )}
      {result && <Plan plan={result} />}
    </section>
  );
}

/** The alert's validation problems, one row per field. */
function FieldProblems({ issues }: { issues: Issue[] }) {
  return (
    <section class="card notice error" role="alert" data-testid="dry-run-issues">
      <h2>The alert is not valid</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((i) => (
            <tr key={i.path}>
              <td>
                <code>{i.path}</code>
              </td>
              <td>{i.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Plan({ plan }: { plan: DryRun }) {
  const quote = plan.market?.quote ?? '';
  return (
    <section class="card" aria-label="result" data-testid="dry-run-result">
      <h2>{HEADINGS[plan.outcome]}</h2>
      <p class="muted small">
        {plan.account} ({plan.exchange}) ·{' '}
        {plan.market ? `${plan.market.symbol} (${plan.market.type})` : plan.symbol}
        {plan.snapshot.price !== undefined && ` · price ${num(plan.snapshot.price)}`}
        {plan.snapshot.position &&
          ` · position ${num(plan.snapshot.position.contracts)} (${plan.snapshot.position.side})`}
        {` · planned in ${plan.durationMs} ms`}
      </p>
      {plan.refusal && (
        <div class="notice error" role="status" data-testid="dry-run-refusal">
          <strong>{plan.refusal.code}</strong>: {plan.refusal.reason}
        </div>
      )}
      {plan.actions.length > 0 && (
        <ul data-testid="dry-run-actions">
          {plan.actions.map((a, i) => (
            <li key={i}>
              {a.kind.replace(/_/g, ' ')} {a.symbol}{' '}
              {a.kind === 'set_leverage' ? a.leverage : a.kind === 'set_margin_mode' ? a.mode : ''}
            </li>
          ))}
        </ul>
      )}
      {plan.intents.length > 0 && <Intents intents={plan.intents} quote={quote} />}
      {plan.notes.length > 0 && (
        <ul class="notes" data-testid="dry-run-notes">
          {plan.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {plan.snapshot.balances && (
        <p class="muted small">
          Free:{' '}
          {Object.entries(plan.snapshot.balances)
            .map(([currency, b]) => `${num(b.free)} ${currency}`)
            .join(' · ')}
        </p>
      )}
    </section>
  );
}

function Intents({ intents, quote }: { intents: Intent[]; quote: string }) {
  return (
    <table data-testid="dry-run-intents">
      <thead>
        <tr>
          <th scope="col">Leg</th>
          <th scope="col">Side</th>
          <th scope="col">Type</th>
          <th scope="col">Amount</th>
          <th scope="col">Price</th>
          <th scope="col">Options</th>
          <th scope="col">Est. cost</th>
          <th scope="col">Est. fee</th>
        </tr>
      </thead>
      <tbody>
        {intents.map((o) => (
          <tr key={o.clientOrderId}>
            <td>{o.leg}</td>
            <td>{o.side}</td>
            <td>{o.type}</td>
            <td>{num(o.amount)}</td>
            <td>{num(o.price ?? o.triggerPrice ?? o.referencePrice)}</td>
            <td>{options(o) || '—'}</td>
            <td>{o.estimatedCost === undefined ? '—' : `${num(o.estimatedCost)} ${quote}`}</td>
            <td>{o.estimatedFee === undefined ? '—' : `${num(o.estimatedFee)} ${quote}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function options(o: Intent): string {
  return [
    o.reduceOnly && 'reduce-only',
    o.postOnly && 'post-only',
    o.timeInForce,
    o.takeProfitPrice !== undefined && `TP ${num(o.takeProfitPrice)}`,
    o.stopLossPrice !== undefined && `SL ${num(o.stopLossPrice)}`,
  ]
    .filter(Boolean)
    .join(', ');
}
