import { useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { Problem, fire, useAction } from '../ui';

/** API key → session cookie. The key lives in this form only; the browser keeps nothing but the cookie. */
export function SignInPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [key, setKey] = useState('');
  const { busy, error, run } = useAction();
  return (
    <main id="main" class="signin">
      <h1>tradehook</h1>
      <form
        onSubmit={fire((e) => {
          e.preventDefault();
          return run(async () => {
            try {
              await post('/session', { apiKey: key.trim() });
            } catch (err) {
              throw err instanceof ApiError && err.status === 401
                ? new ApiError(401, 'unauthorized', 'that key is not valid (unknown, expired or revoked)')
                : err;
            }
            setKey('');
            // The app then leaves sign-in for the page it came from (main.tsx).
            await onSignedIn();
          });
        })}
      >
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellcheck={false}
          placeholder="th_…"
          required
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && <Problem error={error} />}
        <p class="muted small">
          The key is exchanged for a session cookie (HttpOnly) and not kept by the browser. Sessions end after
          12 h unused or 7 days.
        </p>
      </form>
    </main>
  );
}
