import type { ServerResponse } from "node:http";
import { ArkError, authenticateOrError, canUseNamespace, isArkError, type Authenticator, type Principal, type ServiceApp } from "@ark/service-kit";
import type { FastifyRequest } from "fastify";
import type { AgentRegistry } from "../agents/agent-registry.js";
import { setPrincipal, type AgentApps } from "../a2a/agent-apps.js";
import { answerDatabaseOutage } from "../a2a/database-unavailable.js";

const CARD_PATHS = new Set([".well-known/agent-card.json", ".well-known/agent.json"]);
/** JSON-RPC code of A2A's task-not-found, also used for an agent that is not served. */
const NOT_FOUND_CODE = -32001;
/** JSON-RPC's implementation-defined server error: refused credentials. */
const AUTH_CODE = -32000;

export interface A2aRouteDeps {
  registry: AgentRegistry;
  apps: AgentApps;
  authenticate: Authenticator;
  /** The namespace served at `/agent/<name>/`. */
  firstNamespace: string;
  /** The card URL of a served resource (for GET /agents). */
  urlOf(namespace: string, name: string): string;
  /** Stops following tasks' queries (the service is stopping). */
  stopExecutions(): void;
}

interface AgentParams {
  namespace?: string;
  name: string;
  "*"?: string;
}

/**
 * `/<namespace>/agent/<name>/…` and `/agent/<name>/…`: cards are public; JSON-RPC and HTTP+JSON need the caller's
 * credentials (as at ark-api) and the namespace. The request's body is left unread for the SDK's Express handlers.
 */
export async function registerA2aRoutes(app: ServiceApp, deps: A2aRouteDeps): Promise<void> {
  app.get("/agents", async (request, reply) => {
    const principal = await authenticated(deps.authenticate, request);
    if (isArkError(principal)) return reply.code(principal.httpStatus).send({ error: principal.message });
    return deps.registry
      .list()
      .filter((resource) => canUseNamespace(principal, resource.namespace))
      .map((resource) => ({ name: resource.name, namespace: resource.namespace, description: resource.description ?? "", url: deps.urlOf(resource.namespace, resource.name) }));
  });

  // Event streams last as long as their query: end them when the service stops (a client resubscribes elsewhere).
  const open = new Set<ServerResponse>();
  app.addHook("preClose", async () => {
    deps.stopExecutions();
    for (const response of open) if (String(response.getHeader("content-type") ?? "").startsWith("text/event-stream")) response.end();
  });

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_request, _payload, done) => done(null, undefined));
    for (const url of ["/:namespace/agent/:name", "/:namespace/agent/:name/*", "/agent/:name", "/agent/:name/*"]) {
      scope.route({
        method: ["GET", "POST"],
        url,
        handler: async (request, reply) => {
          reply.hijack();
          open.add(reply.raw);
          reply.raw.once("close", () => open.delete(reply.raw));
          await serveAgent(deps, request, reply.raw);
        },
      });
    }
  });
}

async function serveAgent(deps: A2aRouteDeps, request: FastifyRequest, response: ServerResponse): Promise<void> {
  const params = request.params as AgentParams;
  const namespace = params.namespace ?? deps.firstNamespace;
  const rest = params["*"] ?? "";
  const isCard = request.method === "GET" && CARD_PATHS.has(rest);
  const served = deps.registry.namespaces.includes(namespace);
  const resource = served ? deps.registry.get(namespace, params.name) : undefined;
  if (!resource) {
    const message = served
      ? `agent "${params.name}" not found in namespace ${namespace}: no Agent or Team has that name`
      : `agent "${params.name}" not found: namespace ${namespace} is not served (ARK_A2A_NAMESPACES: ${deps.registry.namespaces.join(", ")})`;
    return sendError(response, 404, isCard ? undefined : NOT_FOUND_CODE, message);
  }
  if (!isCard) {
    const principal = await authenticated(deps.authenticate, request);
    if (isArkError(principal)) {
      if (principal.httpStatus === 401) response.setHeader("www-authenticate", 'Bearer realm="ark-api-a2a"');
      return sendError(response, principal.httpStatus, AUTH_CODE, principal.message);
    }
    if (!canUseNamespace(principal, namespace)) return sendError(response, 403, AUTH_CODE, `not allowed to use namespace ${namespace}`);
    setPrincipal(request.raw, principal);
  }
  const search = request.url.indexOf("?");
  request.raw.url = `/${rest}${search >= 0 ? request.url.slice(search) : ""}`;
  if (!isCard) answerDatabaseOutage(request.raw, response);
  deps.apps.appFor(resource)(request.raw, response);
}

async function authenticated(authenticate: Authenticator, request: FastifyRequest): Promise<Principal | ArkError> {
  return authenticateOrError(authenticate, request).catch((err: unknown) => {
    request.log.error({ err }, "authentication failed");
    return new ArkError("UNAVAILABLE", "authentication is unavailable");
  });
}

/** A JSON-RPC error (code given) or a plain JSON error body. */
function sendError(response: ServerResponse, status: number, code: number | undefined, message: string): void {
  const body = code === undefined ? { error: message } : { jsonrpc: "2.0", id: null, error: { code, message } };
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
