import { useEffect, useState } from 'preact/hooks';

/** Path routing under /dashboard/ (the server answers index.html for every path below it). */
export const BASE = '/dashboard';

export function currentPath(): string {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : '/';
  return p === '' ? '/' : p;
}

export function navigate(path: string, replace = false): void {
  const url = `${BASE}${path}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event('th:navigate'));
  window.scrollTo(0, 0);
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('popstate', update);
    window.addEventListener('th:navigate', update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener('th:navigate', update);
    };
  }, []);
  return path;
}

/** Same-tab navigation for in-app links; modified clicks (new tab) keep the browser's behaviour. */
export function onLink(e: MouseEvent): void {
  const a = (e.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const href = a.getAttribute('href');
  if (!href?.startsWith(BASE)) return;
  e.preventDefault();
  navigate(href.slice(BASE.length) || '/');
}

/** Where sign-in leads: the `next` page it was sent from, only if it is a path of this app. */
export function nextAfterSignIn(): string {
  const next = new URLSearchParams(location.search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}
