import { useState, type FormEvent } from "react";
import { setApiKey, tryApiKey } from "../api.js";
import { signInWithOidc, type AuthConfig } from "../auth.js";

/** ark-api wants credentials: an API key, or OIDC when the server is configured for it (kept in this tab's sessionStorage only). */
export function Login({ oidc, error: signInError }: { oidc: AuthConfig["oidc"]; error?: string | undefined }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string>();
  const [oidcError, setOidcError] = useState(signInError);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await tryApiKey(key.trim());
      setApiKey(key.trim());
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login">
      <form onSubmit={submit} className="card" aria-label="Sign in">
        <h1>ARK dashboard</h1>
        {oidc && (
          <div className="sso">
            <button type="button" onClick={() => signInWithOidc(oidc).catch((err: Error) => setOidcError(`OIDC sign-in failed: ${err.message}`))}>
              Sign in with OIDC
            </button>
            <p className="muted">with your organisation's account ({new URL(oidc.issuer).host}), or with an API key below.</p>
          </div>
        )}
        {oidcError && (
          <p className="field-error" role="alert" id="oidc-error">
            {oidcError}
          </p>
        )}
        <p className="muted">
          ark-api requires an API key. With <code>ark dev</code> the admin key is in <code>$ARK_HOME/api-key</code> (<code>.ark/api-key</code>); create others with <code>ark api-keys create</code>.
        </p>
        <label className="field">
          <span>API key</span>
          <input type="password" autoComplete="off" autoFocus required value={key} onChange={(e) => setKey(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? "login-error" : undefined} />
          {error && (
            <span id="login-error" className="field-error" role="alert">
              {error}
            </span>
          )}
        </label>
        <button type="submit" disabled={busy || !key.trim()}>
          {busy ? "Checking…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
