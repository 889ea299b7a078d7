import { useEffect, useState } from 'preact/hooks';
import { API } from './api';
import { PUBLISHED_EVENTS } from './events';

/** One server event: `{ id, type, timestamp, data }` (docs/api.md). */
export interface LiveEvent {
  id?: string;
  type: string;
  timestamp?: string;
  data: unknown;
}

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'unavailable';

type Handler = (event: LiveEvent) => void;
const handlers = new Set<Handler>();
const stateListeners = new Set<(s: LiveState) => void>();
let source: EventSource | null = null;
let state: LiveState = 'connecting';
let retryMs = 5000;
let timer: ReturnType<typeof setTimeout> | undefined;

function setState(s: LiveState) {
  state = s;
  stateListeners.forEach((l) => l(s));
}

function dispatch(name: string, e: MessageEvent<string>) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(e.data);
  } catch {
    return;
  }
  const p = parsed as Partial<LiveEvent>;
  const event: LiveEvent =
    p && typeof p === 'object' && typeof p.type === 'string' && 'data' in p
      ? (p as LiveEvent)
      : { type: name, data: parsed, id: e.lastEventId };
  handlers.forEach((h) => h(event));
}

/**
 * Opens `GET /api/v1/events`. EventSource resumes by itself (with `Last-Event-ID`) after a dropped
 * connection; when it gives up (an error answer, e.g. a route this server lacks), we open a new one after
 * 5 s, backing off to 60 s — never a loop faster than every 5 s.
 */
function connect() {
  if (source) return;
  const es = new EventSource(`${API}/events`, { withCredentials: true });
  source = es;
  es.onopen = () => {
    retryMs = 5000;
    setState('live');
  };
  es.onmessage = (e: MessageEvent<string>) => dispatch('message', e);
  for (const t of PUBLISHED_EVENTS) es.addEventListener(t, (e) => dispatch(t, e as MessageEvent<string>));
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) {
      source = null;
      setState(retryMs >= 60_000 ? 'unavailable' : 'reconnecting');
      clearTimeout(timer);
      timer = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 60_000);
    } else {
      setState('reconnecting');
    }
  };
}

export function disconnectLive(): void {
  clearTimeout(timer);
  source?.close();
  source = null;
}

/** Calls `handler` for every server event while the component is mounted. */
export function useLive(handler: Handler): void {
  useEffect(() => {
    connect();
    handlers.add(handler);
    return () => {
      handlers.delete(handler);
    };
  }, [handler]);
}

export function useLiveState(): LiveState {
  const [s, setS] = useState(state);
  useEffect(() => {
    connect();
    stateListeners.add(setS);
    return () => {
      stateListeners.delete(setS);
    };
  }, []);
  return s;
}
