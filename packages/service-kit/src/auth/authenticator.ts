import type { FastifyInstance, FastifyRequest } from "fastify";
import { ArkError, isArkError } from "../errors/ark-error.js";
import { hashMatches, sha256, type ApiKeyStore } from "./api-key-store.js";
import { adminKeyHashOf } from "./admin-key.js";
import type { AuthConfig } from "./config.js";
import { createOidcVerifier, type OidcVerifier } from "./oidc.js";
import { ALL_NAMESPACES, requireNamespace, type Principal } from "./principal.js";

export type Authenticator = (request: FastifyRequest) => Promise<Principal>;

const AUTH_OFF: Principal = { id: "anonymous", via: "auth-off", namespaces: [ALL_NAMESPACES], secretNamespaces: [ALL_NAMESPACES] };
const ADMIN: Principal = { id: "admin-key", via: "admin-key", namespaces: [ALL_NAMESPACES], secretNamespaces: [ALL_NAMESPACES] };

/** Turns the request's credentials into a Principal, or throws 401 (429 once an address failed too often); modes from ARK_API_AUTH. */
export function createAuthenticator(config: AuthConfig, keys: ApiKeyStore): Authenticator {
  const modes = new Set(config.ARK_API_AUTH);
  if (modes.has("none")) return async () => AUTH_OFF;
  const oidc: OidcVerifier | undefined = modes.has("oidc") ? createOidcVerifier(config) : undefined;
  const adminKeyHash = adminKeyHashOf(config);
  const failures = new FailureWindow(config.AUTH_FAILURES_PER_MINUTE, 60_000);

  const verify = async (credential: string): Promise<Principal | undefined> => {
    if (adminKeyHash && hashMatches(adminKeyHash, sha256(credential))) return ADMIN;
    return (modes.has("apikey") && credential.startsWith("ark_") ? await keys.verify(credential) : undefined) ?? (oidc && credential.split(".").length === 3 ? await oidc(credential) : undefined);
  };

  return async (request) => {
    const credential = credentialOf(request);
    if (!credential) throw new ArkError("UNAUTHENTICATED", "missing credentials: send Authorization: Bearer <API key or token>");
    const retryIn = failures.blockedFor(request.ip);
    if (retryIn > 0) throw new ArkError("RATE_LIMITED", `too many failed authentications from ${request.ip}, retry in ${Math.ceil(retryIn / 1000)} seconds`);
    const principal = await verify(credential);
    if (!principal) {
      failures.record(request.ip);
      throw new ArkError("UNAUTHENTICATED", "invalid, expired or revoked credentials");
    }
    return principal;
  };
}

function credentialOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const bearer = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
  const apiKey = request.headers["x-api-key"];
  return bearer ?? (typeof apiKey === "string" && apiKey ? apiKey : undefined);
}

/** Authenticates every route of the scope, and checks the `namespace` path parameter against the principal. */
export function registerAuthentication(app: FastifyInstance, authenticate: Authenticator): void {
  app.addHook("onRequest", async (request) => {
    request.principal = await authenticate(request);
    const namespace = (request.params as { namespace?: unknown } | undefined)?.namespace;
    if (typeof namespace === "string") requireNamespace(request, namespace);
  });
}

/** Authenticates one raw request outside a fastify scope (ark-mcp's hijacked routes); the ArkError on failure. */
export async function authenticateOrError(authenticate: Authenticator, request: FastifyRequest): Promise<Principal | ArkError> {
  try {
    return await authenticate(request);
  } catch (error) {
    if (isArkError(error)) return error;
    throw error;
  }
}

const MAX_TRACKED_ADDRESSES = 10_000;

/** Failures per address in a fixed window; bounded so a flood of addresses cannot grow it without end. */
class FailureWindow {
  private readonly windows = new Map<string, { count: number; start: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until the address may try again; 0 when it may now. */
  blockedFor(address: string): number {
    if (this.max === 0) return 0;
    const window = this.windows.get(address);
    if (!window) return 0;
    const left = window.start + this.windowMs - Date.now();
    if (left <= 0) {
      this.windows.delete(address);
      return 0;
    }
    return window.count >= this.max ? left : 0;
  }

  record(address: string): void {
    if (this.max === 0) return;
    const now = Date.now();
    const window = this.windows.get(address);
    if (window && window.start + this.windowMs > now) {
      window.count += 1;
      return;
    }
    if (this.windows.size >= MAX_TRACKED_ADDRESSES) this.sweep(now);
    this.windows.set(address, { count: 1, start: now });
  }

  private sweep(now: number): void {
    for (const [address, window] of this.windows) if (window.start + this.windowMs <= now) this.windows.delete(address);
    // Still full: forget the oldest half rather than grow.
    if (this.windows.size >= MAX_TRACKED_ADDRESSES) {
      let drop = this.windows.size / 2;
      for (const address of this.windows.keys()) {
        if (drop-- <= 0) break;
        this.windows.delete(address);
      }
    }
  }
}
