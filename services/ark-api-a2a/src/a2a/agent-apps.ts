import type { IncomingMessage } from "node:http";
import { agentCardHandler, jsonRpcHandler, restHandler, type UserBuilder } from "@a2a-js/sdk/server/express";
import type { TaskStore } from "@a2a-js/sdk/server";
import type { Principal } from "@ark/service-kit";
import express, { type Express } from "express";
import { agentCardOf, skillsOf, type ServedResource } from "../agents/agent-card.js";
import { linkCaller } from "./database-unavailable.js";
import type { QueryExecutorDeps } from "./query-executor.js";
import { ArkRequestHandler } from "./request-handler.js";

const LEGACY_COMPAT = { enabled: true };
/** Cards change with the resource (and vanish with it): no caching. */
const CARD_CACHE = { maxAge: 0 };

/** Who sent a request, set by the route after authentication; the SDK's tasks are scoped by it. */
const principals = new WeakMap<IncomingMessage, Principal>();

export function setPrincipal(request: IncomingMessage, principal: Principal): void {
  principals.set(request, principal);
}

const userBuilder: UserBuilder = async (req) => {
  const principal = principals.get(req);
  return linkCaller(req, { isAuthenticated: principal !== undefined, userName: principal?.id ?? "" });
};

export interface AgentAppsDeps {
  store: TaskStore;
  executor: QueryExecutorDeps;
  /** The base URL the card names for the resource (ends with /). */
  baseUrlOf(resource: ServedResource): string;
}

/** One Express app (the SDK's card, JSON-RPC and HTTP+JSON handlers) per served Agent or Team, rebuilt when the resource changes. */
export class AgentApps {
  private readonly apps = new Map<string, { version: string; app: Express }>();

  constructor(private readonly deps: AgentAppsDeps) {}

  appFor(resource: ServedResource & { version: string }): Express {
    const key = `${resource.namespace}/${resource.name}`;
    const cached = this.apps.get(key);
    if (cached?.version === resource.version) return cached.app;
    const app = this.build(resource);
    this.apps.set(key, { version: resource.version, app });
    return app;
  }

  /** The resource is gone: its app goes (a later one with the name gets a new app). */
  forget(namespace: string, name: string): void {
    this.apps.delete(`${namespace}/${name}`);
  }

  private build(resource: ServedResource): Express {
    const card = agentCardOf(resource, this.deps.baseUrlOf(resource), skillsOf(resource).skills);
    const requestHandler = new ArkRequestHandler(card, resource, this.deps.store, this.deps.executor);
    const app = express();
    app.disable("x-powered-by");
    const cards = agentCardHandler({ agentCardProvider: requestHandler, cache: CARD_CACHE, legacyCompat: LEGACY_COMPAT });
    app.use("/.well-known/agent-card.json", cards);
    app.use("/.well-known/agent.json", cards);
    app.use("/rest", restHandler({ requestHandler, userBuilder, legacyCompat: LEGACY_COMPAT }));
    app.use("/", jsonRpcHandler({ requestHandler, userBuilder, legacyCompat: LEGACY_COMPAT }));
    return app;
  }
}
