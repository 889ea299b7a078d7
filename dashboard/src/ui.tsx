import { type ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, asApiError } from './api';
import { BASE, onLink } from './router';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  set: (update: (prev: T | undefined) => T | undefined) => void;
}

/** Loads `load()` whenever `key` changes; `reload()` on demand (never on a timer). */
export function useLoad<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let alive = true;
    setLoading(true);
    loadRef.current().then(
      (d) => {
        if (!alive) return;
        setData(d);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (!alive) return;
        setError(asApiError(e));
        setLoading(false);
      },
    );
    return () => {
      alive = false;
    };
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, set: setData };
}

export function Link(props: { href: string; children: ComponentChildren; class?: string }) {
  return (
    <a href={`${BASE}${props.href}`} onClick={onLink} class={props.class}>
      {props.children}
    </a>
  );
}

/** An error answer in words; a missing route says the feature is not on this server. */
export function Problem({ error, what }: { error: ApiError; what?: string }) {
  if (error.unavailable)
    return (
      <div class="notice unavailable" role="status" data-testid="unavailable">
        <strong>{what ?? 'This page'} is not available on this server.</strong> Its API route is missing (an
        older or partial deployment).
      </div>
    );
  return (
    <div class="notice error" role="alert">
      <strong>{error.code}</strong>: {error.message}
      {error.issues.length > 0 && (
        <ul>
          {error.issues.map((i) => (
            <li key={i.path}>
              <code>{i.path}</code> {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The usual three states of something loaded. */
export function Show<T>(props: {
  state: Loaded<T>;
  what?: string;
  children: (data: T) => ComponentChildren;
}) {
  const { state } = props;
  if (state.error) return <Problem error={state.error} what={props.what} />;
  if (state.data === undefined) return <p class="muted">Loading…</p>;
  return <>{props.children(state.data)}</>;
}

export function Status({ status }: { status: string }) {
  return <span class={`badge s-${status}`}>{status}</span>;
}

/**
 * A button that asks first: a native dialog (keyboard and screen-reader friendly) with the consequence
 * spelled out, then runs the action and shows its outcome.
 */
export function ConfirmButton(props: {
  label: string;
  confirm: string;
  action: () => Promise<unknown>;
  danger?: boolean;
  onDone?: () => void;
  testId?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { busy, error, run } = useAction();
  return (
    <>
      <button
        type="button"
        class={props.danger ? 'danger' : ''}
        data-testid={props.testId}
        onClick={() => dialog.current?.showModal()}
      >
        {props.label}
      </button>
      <dialog ref={dialog} aria-label={props.label}>
        <p>{props.confirm}</p>
        {error && <Problem error={error} />}
        <div class="row">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button
            type="button"
            class={props.danger ? 'danger' : 'primary'}
            disabled={busy}
            onClick={fire(() =>
              run(async () => {
                await props.action();
                dialog.current?.close();
                props.onDone?.();
              }),
            )}
          >
            {busy ? 'Working…' : `Yes, ${props.label.toLowerCase()}`}
          </button>
        </div>
      </dialog>
    </>
  );
}

/** A write button with inline outcome, for actions that need no confirmation (retry, ack, test). */
export function ActionButton(props: {
  label: string;
  action: () => Promise<unknown>;
  onDone?: (result: unknown) => void;
  testId?: string;
}) {
  const { busy, error, run } = useAction();
  return (
    <span class="action">
      <button
        type="button"
        data-testid={props.testId}
        disabled={busy}
        onClick={fire(() =>
          run(async () => {
            // Not `props.onDone?.(await props.action())`: without onDone, `?.` skips its argument, action included.
            const result = await props.action();
            props.onDone?.(result);
          }),
        )}
      >
        {busy ? 'Working…' : props.label}
      </button>
      {error && <Problem error={error} />}
    </span>
  );
}

/** A secret shown this once, with a copy button; it lives only in this component's memory. */
export function OneTimeSecret(props: { label: string; value: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="notice secret" role="alert" data-testid="one-time-secret">
      <p>
        <strong>{props.label}</strong> — shown this once. Copy it now: it cannot be shown again.
      </p>
      <code class="secret-value" data-testid="secret-value">
        {props.value}
      </code>
      <div class="row">
        <button
          type="button"
          onClick={fire(async () => {
            try {
              await navigator.clipboard.writeText(props.value);
              setCopied(true);
            } catch {
              setCopied(false);
            }
          })}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" onClick={props.onDismiss}>
          Done
        </button>
      </div>
    </div>
  );
}

/** Cursor pagination: the cursors of earlier pages are kept so "Previous" works too. */
export function usePager(resetKey: string) {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  useEffect(() => setStack([undefined]), [resetKey]);
  const cursor = stack[stack.length - 1];
  return {
    cursor,
    first: stack.length === 1,
    next: (c: string) => setStack((s) => [...s, c]),
    prev: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
  };
}

export function Pager(props: { pager: ReturnType<typeof usePager>; nextCursor: string | null | undefined }) {
  const { pager, nextCursor } = props;
  return (
    <nav class="row pager" aria-label="pages">
      <button type="button" disabled={pager.first} onClick={pager.prev}>
        ← Newer
      </button>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        Older →
      </button>
    </nav>
  );
}

/** An async event handler for JSX: its errors are handled inside, so the returned promise is dropped. */
export function fire<A extends unknown[]>(handler: (...args: A) => Promise<unknown>): (...args: A) => void {
  return (...args) => void handler(...args);
}

/** A write in progress: whether it is under way, and what it failed with (shown by `Problem`). */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const run = async (task: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await task();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
