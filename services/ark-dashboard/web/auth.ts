import type { UserManager } from "oidc-client-ts";

/** How to sign in, from the server's /config.json (OIDC_ISSUER, OIDC_CLIENT_ID…). */
export interface AuthConfig {
  oidc: { issuer: string; clientId: string; scope: string; token: "access" | "id" } | null;
}

const TOKEN_STORAGE = "ark.oidcToken";
export const CALLBACK_PATH = "/auth/callback";

export async function loadAuthConfig(): Promise<AuthConfig> {
  try {
    const response = await fetch("/config.json");
    return response.ok ? ((await response.json()) as AuthConfig) : { oidc: null };
  } catch {
    return { oidc: null };
  }
}

/** The OIDC token of this tab (sessionStorage), sent to ark-api as Bearer. */
export function oidcToken(): string | null {
  return sessionStorage.getItem(TOKEN_STORAGE);
}

export function clearOidcToken(): void {
  sessionStorage.removeItem(TOKEN_STORAGE);
}

// oidc-client-ts is loaded only when OIDC is used: the app's main bundle stays small.
async function manager(oidc: NonNullable<AuthConfig["oidc"]>): Promise<UserManager> {
  const { UserManager, WebStorageStateStore } = await import("oidc-client-ts");
  return new UserManager({
    authority: oidc.issuer,
    client_id: oidc.clientId,
    redirect_uri: `${location.origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: location.origin,
    response_type: "code",
    scope: oidc.scope,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    automaticSilentRenew: false,
  });
}

/** Sends the browser to the issuer's login page (authorization code with PKCE). */
export async function signInWithOidc(oidc: NonNullable<AuthConfig["oidc"]>): Promise<void> {
  await (await manager(oidc)).signinRedirect();
}

let callback: Promise<void> | undefined;

/** On the callback page: trades the code for tokens (once, however often it is asked) and keeps the one ark-api takes. */
export function completeOidcSignIn(oidc: NonNullable<AuthConfig["oidc"]>): Promise<void> {
  callback ??= exchangeCode(oidc);
  return callback;
}

async function exchangeCode(oidc: NonNullable<AuthConfig["oidc"]>): Promise<void> {
  const user = await (await manager(oidc)).signinRedirectCallback();
  const token = oidc.token === "id" ? user.id_token : user.access_token;
  if (!token) throw new Error(`the issuer returned no ${oidc.token === "id" ? "ID" : "access"} token`);
  sessionStorage.setItem(TOKEN_STORAGE, token);
}
