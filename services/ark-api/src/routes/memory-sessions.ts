import type { ServiceApp } from "@ark/service-kit";
import { z } from "zod";
import type { ApiContext } from "../context.js";
import { namespaceParams } from "../http/schemas.js";
import { MemorySessions } from "../memory/memory-sessions.js";

// postgres-memory's session id rule; checked here so a bad id is a 400 naming it, not a memory's error.
const SESSION_ID_RULE = "1-255 characters from A-Z a-z 0-9 _ - . : @, and not only dots";
const sessionId = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9_.:@-]+$/, SESSION_ID_RULE)
  .refine((id) => !/^\.+$/.test(id), SESSION_ID_RULE);
// A wildcard, not `:sessionId`: the router drops parameters longer than 100 characters, and ids may have 255.
const sessionParams = namespaceParams.extend({ "*": sessionId });
const memoryQuery = z.object({
  memory: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a Memory name")
    .max(253)
    .optional()
    .describe("Only this Memory of the namespace."),
});

/**
 * Conversation sessions of the namespace's Memories, read from the memory service with a token for the namespace
 * (MEMORY_AUTH_SECRET): list, show with messages, delete.
 */
export function registerMemorySessionRoutes(app: ServiceApp, ctx: ApiContext): void {
  const tags = ["sessions"];
  const sessions = new MemorySessions(ctx);
  const collection = "/v1/namespaces/:namespace/sessions";

  app.get(collection, { schema: { tags, summary: "List the sessions of the namespace's memories", params: namespaceParams, querystring: memoryQuery } }, async (request) =>
    sessions.list(request.params.namespace, request.query.memory),
  );

  app.get(`${collection}/*`, { schema: { tags, summary: "A session with its messages", params: sessionParams, querystring: memoryQuery } }, async (request) =>
    sessions.show(request.params.namespace, request.params["*"], request.query.memory),
  );

  app.delete(`${collection}/*`, { schema: { tags, summary: "Delete a session and its messages", params: sessionParams, querystring: memoryQuery } }, async (request) =>
    sessions.delete(request.params.namespace, request.params["*"], request.query.memory),
  );
}
