import { useEffect, useState } from "react";
import { apiGet, ApiError, credential, signOut } from "./api.js";
import { CALLBACK_PATH, completeOidcSignIn, loadAuthConfig, type AuthConfig } from "./auth.js";
import { NamespaceContext } from "./hooks.js";
import { KIND_PAGES, kindPage } from "./kinds.js";
import { Login } from "./pages/Login.js";
import { Overview } from "./pages/Overview.js";
import { ResourceList } from "./pages/ResourceList.js";
import { ResourceDetail } from "./pages/ResourceDetail.js";
import { AgentForm } from "./pages/AgentForm.js";
import { Chat } from "./pages/Chat.js";
import { KIND_FORMS } from "./forms/kind-forms.js";
import { NewFromYaml } from "./pages/NewFromYaml.js";
import { ResourceForm } from "./pages/ResourceForm.js";
import { Secrets } from "./pages/Secrets.js";
import { SessionDetail, SessionsPage } from "./pages/Sessions.js";
import { ToolApprovalDetail, ToolApprovalsPage } from "./pages/ToolApprovals.js";
import { Events } from "./pages/Events.js";
import { Link, navigate, useLocation } from "./router.js";
import { ErrorBox } from "./components/states.js";

const NAMESPACE_STORAGE = "ark.namespace";
const THEME_STORAGE = "ark.theme";

type AuthState = "checking" | "ok" | "login";

export function App() {
  const [auth, setAuth] = useState<AuthState>("checking");
  const [namespaces, setNamespaces] = useState<string[]>([]);
  const [startupError, setStartupError] = useState<Error>();
  const [authConfig, setAuthConfig] = useState<AuthConfig>({ oidc: null });
  const [signInError, setSignInError] = useState<string>();
  const [namespace, setNamespaceState] = useState(() => localStorage.getItem(NAMESPACE_STORAGE) ?? "default");
  const [theme, setTheme] = useState(() => localStorage.getItem(THEME_STORAGE) ?? (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"));
  const { path, search } = useLocation();

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem(THEME_STORAGE, theme);
  }, [theme]);

  useEffect(() => {
    const check = () => {
      apiGet<{ items: Array<{ name: string }> }>("/v1/namespaces").then(
        (list) => {
          setNamespaces(list.items.map((ns) => ns.name));
          setStartupError(undefined);
          setAuth("ok");
        },
        (err: Error) => {
          if (err instanceof ApiError && err.status === 401) setAuth("login");
          else {
            setStartupError(err);
            setAuth("ok");
          }
        },
      );
    };
    let active = true;
    loadAuthConfig().then(async (config) => {
      if (!active) return;
      setAuthConfig(config);
      // Back from the issuer's login page: trade the code for the token, then start where the app starts.
      if (location.pathname === CALLBACK_PATH) {
        try {
          if (!config.oidc) throw new Error("OIDC sign-in is not configured (OIDC_ISSUER, OIDC_CLIENT_ID)");
          await completeOidcSignIn(config.oidc);
        } catch (err) {
          setSignInError(`OIDC sign-in failed: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (!active) return;
        navigate("/", true);
      }
      check();
    });
    const unauthenticated = () => setAuth("login");
    window.addEventListener("ark-auth", check);
    window.addEventListener("ark-unauthenticated", unauthenticated);
    return () => {
      active = false;
      window.removeEventListener("ark-auth", check);
      window.removeEventListener("ark-unauthenticated", unauthenticated);
    };
  }, []);

  const setNamespace = (ns: string) => {
    localStorage.setItem(NAMESPACE_STORAGE, ns);
    setNamespaceState(ns);
  };

  if (auth === "checking") return <p className="muted center">Connecting to ark-api…</p>;
  if (auth === "login") return <Login oidc={authConfig.oidc} error={signInError} />;

  return (
    <NamespaceContext.Provider value={{ namespace, setNamespace }}>
      <div className="layout">
        <nav className="sidebar" aria-label="Main">
          <Link to="/" className="brand">
            ARK
          </Link>
          <NavLink to="/" label="Overview" path={path} exact />
          <NavLink to="/chat" label="Chat" path={path} />
          {KIND_PAGES.map((page) => (
            <NavLink key={page.segment} to={`/${page.segment}`} label={page.title} path={path} />
          ))}
          <NavLink to="/sessions" label="Sessions" path={path} />
          <NavLink to="/tool-approvals" label="Tool approvals" path={path} />
          <NavLink to="/secrets" label="Secrets" path={path} />
          <NavLink to="/events" label="Events" path={path} />
        </nav>
        <div className="main">
          <header className="topbar">
            <label>
              Namespace{" "}
              <select aria-label="Namespace" value={namespace} onChange={(e) => setNamespace(e.target.value)}>
                {(namespaces.includes(namespace) ? namespaces : [namespace, ...namespaces]).map((ns) => (
                  <option key={ns}>{ns}</option>
                ))}
              </select>
            </label>
            <span className="spacer" />
            <button type="button" className="ghost" onClick={() => setTheme(theme === "dark" ? "light" : "dark")} aria-label="Toggle dark mode">
              {theme === "dark" ? "☀ Light" : "☾ Dark"}
            </button>
            {credential() && (
              <button type="button" className="ghost" onClick={signOut}>
                Sign out
              </button>
            )}
          </header>
          <main>
            {startupError && <ErrorBox error={startupError} title="ark-api" />}
            <Page path={path} search={search} />
          </main>
        </div>
      </div>
    </NamespaceContext.Provider>
  );
}

function NavLink({ to, label, path, exact }: { to: string; label: string; path: string; exact?: boolean }) {
  const active = exact ? path === to : path === to || path.startsWith(`${to}/`);
  return (
    <Link to={to} className={active ? "active" : undefined} aria-current={active ? "page" : undefined}>
      {label}
    </Link>
  );
}

function Page({ path, search }: { path: string; search: URLSearchParams }) {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  if (!first) return <Overview />;
  if (first === "chat") return <Chat />;
  if (first === "secrets") return <Secrets />;
  if (first === "events") return <Events />;
  if (first === "tool-approvals") return second ? <ToolApprovalDetail key={second} name={second} /> : <ToolApprovalsPage />;
  if (first === "sessions") return second ? <SessionDetail key={second} id={second} {...(search.get("memory") ? { memory: search.get("memory")! } : {})} /> : <SessionsPage />;
  const page = kindPage(first);
  if (!page) return <ErrorBox error={new Error(`no page at ${path}`)} title="Not found" />;
  if (page.segment === "agents" && second === "new") return <AgentForm />;
  if (page.segment === "agents" && second && third === "edit") return <AgentForm name={second} />;
  const form = KIND_FORMS[page.segment];
  if (second === "new") return form ? <ResourceForm key={first} page={page} form={form} /> : <NewFromYaml key={first} page={page} />;
  if (form && !form.createOnly && second && third === "edit") return <ResourceForm key={`${first}/${second}`} page={page} form={form} name={second} />;
  if (second) return <ResourceDetail key={`${first}/${second}`} page={page} name={second} />;
  return <ResourceList key={first} page={page} />;
}
