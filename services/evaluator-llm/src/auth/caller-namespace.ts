import { ArkError, EVALUATOR_TOKEN_AUDIENCE, verifyNamespaceToken, type ServiceApp } from "@ark/service-kit";
import type { EvaluatorConfig } from "../config.js";

const OPEN_ROUTES = new Set(["/health", "/ready", "/metrics"]);

/** The namespace each authenticated request's token opens; undefined with EVALUATOR_AUTH=none (any namespace). */
const callerNamespaces = new WeakMap<object, string | undefined>();

/**
 * Every route but health and metrics needs `Authorization: Bearer <namespace token>`: the caller (the controller)
 * sends a token for the evaluation's namespace, and the judge model and the query must live in that namespace.
 */
export function registerCallerAuth(app: ServiceApp, config: EvaluatorConfig): void {
  app.addHook("onRequest", async (request) => {
    if (OPEN_ROUTES.has(request.routeOptions.url ?? "")) return;
    if (config.EVALUATOR_AUTH === "none") {
      callerNamespaces.set(request, undefined);
      return;
    }
    const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "")?.[1];
    if (!token) throw new ArkError("UNAUTHENTICATED", "missing credentials: send Authorization: Bearer <namespace token>");
    const namespace = verifyNamespaceToken(config.EVALUATOR_AUTH_SECRET!, EVALUATOR_TOKEN_AUDIENCE, token);
    if (!namespace) throw new ArkError("UNAUTHENTICATED", "invalid token");
    callerNamespaces.set(request, namespace);
  });
}

/** The namespace the caller may use: its token's, or undefined when auth is off. */
export function callerNamespace(request: object): string | undefined {
  return callerNamespaces.get(request);
}
