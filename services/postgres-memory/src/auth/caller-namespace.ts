import { ArkError, MEMORY_TOKEN_AUDIENCE, verifyNamespaceToken, type ServiceApp } from "@ark/service-kit";
import type { MemoryConfig } from "../config.js";

const OPEN_ROUTES = new Set(["/health", "/ready", "/metrics"]);

/** The namespace each authenticated request's token opens; "" with MEMORY_AUTH=none. */
const callerNamespaces = new WeakMap<object, string>();

/**
 * Every route but health and metrics needs `Authorization: Bearer <namespace token>` (see docs in the README):
 * the caller's sessions live in that namespace, so two namespaces never see each other's sessions.
 */
export function registerCallerAuth(app: ServiceApp, config: MemoryConfig): void {
  app.addHook("onRequest", async (request) => {
    if (OPEN_ROUTES.has(request.routeOptions.url ?? "")) return;
    if (config.MEMORY_AUTH === "none") {
      callerNamespaces.set(request, "");
      return;
    }
    const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "")?.[1];
    if (!token) throw new ArkError("UNAUTHENTICATED", "missing credentials: send Authorization: Bearer <namespace token>");
    const namespace = verifyNamespaceToken(config.MEMORY_AUTH_SECRET!, MEMORY_TOKEN_AUDIENCE, token);
    if (!namespace) throw new ArkError("UNAUTHENTICATED", "invalid token");
    callerNamespaces.set(request, namespace);
  });
}

/** The stored id of the caller's session: `<namespace>/<id>` (ids never contain `/`), the id itself without auth. */
export function storedSessionId(request: object, sessionId: string): string {
  const namespace = callerNamespaces.get(request);
  if (namespace === undefined) throw new ArkError("UNAUTHENTICATED", "authentication required");
  return namespace ? `${namespace}/${sessionId}` : sessionId;
}

/** The prefix of the caller's stored ids ("" without auth). */
export function sessionPrefix(request: object): string {
  return storedSessionId(request, "");
}
