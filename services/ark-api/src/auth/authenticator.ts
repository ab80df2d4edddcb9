import { ArkError } from "@ark/service-kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ArkApiConfig } from "../config.js";
import { adminKeyHashOf } from "./admin-key.js";
import type { ApiKeyStore } from "./api-key-store.js";
import { hashMatches, sha256 } from "./api-key-store.js";
import { createOidcVerifier, type OidcVerifier } from "./oidc.js";
import { ALL_NAMESPACES, requireNamespace, type Principal } from "./principal.js";

export type Authenticator = (request: FastifyRequest) => Promise<Principal>;

const AUTH_OFF: Principal = { id: "anonymous", via: "auth-off", namespaces: [ALL_NAMESPACES] };

/** Turns the request's credentials into a Principal, or throws 401; modes from ARK_API_AUTH. */
export function createAuthenticator(config: ArkApiConfig, keys: ApiKeyStore): Authenticator {
  const modes = new Set(config.ARK_API_AUTH);
  if (modes.has("none")) return async () => AUTH_OFF;
  const oidc: OidcVerifier | undefined = modes.has("oidc") ? createOidcVerifier(config) : undefined;
  const adminKeyHash = adminKeyHashOf(config);

  return async (request) => {
    const credential = credentialOf(request);
    if (!credential) throw new ArkError("UNAUTHENTICATED", "missing credentials: send Authorization: Bearer <API key or token>");
    if (adminKeyHash && hashMatches(adminKeyHash, sha256(credential))) return { id: "admin-key", via: "admin-key", namespaces: [ALL_NAMESPACES] };
    const principal =
      (modes.has("apikey") && credential.startsWith("ark_") ? await keys.verify(credential) : undefined) ??
      (oidc && credential.split(".").length === 3 ? await oidc(credential) : undefined);
    if (!principal) throw new ArkError("UNAUTHENTICATED", "invalid, expired or revoked credentials");
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
