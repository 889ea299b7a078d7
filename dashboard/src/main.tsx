import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Me, can, del, get, onSignedOut } from './api';
import { disconnectLive, useLiveState } from './live';
import { AccountsPage } from './pages/accounts';
import { DeadLetterPage } from './pages/dead-letter';
import { DryRunPage } from './pages/dry-run';
import { KeysPage } from './pages/keys';
import { OverviewPage } from './pages/overview';
import { QualityPage } from './pages/quality';
import { SignalPage } from './pages/signal';
import { SignalsPage } from './pages/signals';
import { SignInPage } from './pages/sign-in';
import { SubscriptionsPage } from './pages/subscriptions';
import { BASE, currentPath, navigate, nextAfterSignIn, usePath } from './router';
import { Link, fire } from './ui';
import './styles.css';

const NAV: { path: string; label: string; role?: 'admin' }[] = [
  { path: '/', label: 'Overview' },
  { path: '/signals', label: 'Signals' },
  { path: '/dead-letter', label: 'Dead letter' },
  { path: '/quality', label: 'Execution quality' },
  { path: '/accounts', label: 'Accounts' },
  { path: '/subscriptions', label: 'Subscriptions' },
  { path: '/dry-run', label: 'Dry run' },
  { path: '/keys', label: 'API keys', role: 'admin' },
];

function Page({ path, me }: { path: string; me: Me }) {
  const signal = /^\/signals\/([^/]+)$/.exec(path);
  if (signal) return <SignalPage id={decodeURIComponent(signal[1])} me={me} />;
  const sub = /^\/subscriptions\/([^/]+)$/.exec(path);
  if (sub) return <SubscriptionsPage me={me} selected={decodeURIComponent(sub[1])} />;
  switch (path) {
    case '/':
      return <OverviewPage me={me} />;
    case '/signals':
      return <SignalsPage />;
    case '/dead-letter':
      return <DeadLetterPage me={me} />;
    case '/quality':
      return <QualityPage />;
    case '/accounts':
      return <AccountsPage me={me} />;
    case '/subscriptions':
      return <SubscriptionsPage me={me} />;
    case '/dry-run':
      return <DryRunPage me={me} />;
    case '/keys':
      return <KeysPage me={me} />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            No page at <code>{path}</code>. <Link href="/">Go to the overview</Link>.
          </p>
        </section>
      );
  }
}

function LiveBadge() {
  const state = useLiveState();
  return (
    <span class={`live live-${state}`} data-testid="live-state" title="Server-Sent Events">
      {state === 'live' ? '● live' : state}
    </span>
  );
}

function Shell({ me, path, onSignOut }: { me: Me; path: string; onSignOut: () => void }) {
  const [menu, setMenu] = useState(false);
  useEffect(() => setMenu(false), [path]);
  const section = path === '/' ? '/' : `/${path.split('/')[1]}`;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">tradehook</span>
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menu}
          aria-controls="nav"
          onClick={() => setMenu(!menu)}
        >
          Menu
        </button>
        <nav id="nav" class={menu ? 'open' : ''} aria-label="main">
          {NAV.filter((n) => !n.role || can(me, n.role)).map((n) => (
            <Link key={n.path} href={n.path} class={section === n.path ? 'current' : ''}>
              {n.label}
            </Link>
          ))}
        </nav>
        <span class="who">
          <LiveBadge />
          <span data-testid="whoami">
            {me.keyName} <span class="badge">{me.role}</span>
          </span>
          <button type="button" onClick={onSignOut} data-testid="sign-out">
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={path} me={me} />
      </main>
    </>
  );
}

function App() {
  const path = usePath();
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  const refreshMe = async () => {
    try {
      setMe(await get<Me>('/session'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setMe(null);
      else setMe(null);
    }
  };
  useEffect(() => {
    void refreshMe();
    return onSignedOut(() => setMe(null));
  }, []);

  // Signed out (or never signed in): every page leads to sign-in, remembering where it was going.
  useEffect(() => {
    if (me === null && path !== '/signin') {
      disconnectLive();
      const next = path === '/' ? '' : `?next=${encodeURIComponent(path + location.search)}`;
      navigate(`/signin${next}`, true);
    }
    if (me && path === '/signin') navigate(nextAfterSignIn(), true);
  }, [me, path]);

  if (me === undefined) return <p class="muted pad">Loading…</p>;
  if (me === null || path === '/signin') return <SignInPage onSignedIn={refreshMe} />;
  return (
    <Shell
      me={me}
      path={path}
      onSignOut={fire(async () => {
        try {
          await del('/session');
        } finally {
          disconnectLive();
          setMe(null);
        }
      })}
    />
  );
}

if (!location.pathname.startsWith(BASE)) history.replaceState(null, '', `${BASE}${currentPath()}`);
render(<App />, document.getElementById('app')!);
