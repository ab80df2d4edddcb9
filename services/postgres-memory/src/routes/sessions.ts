import { ArkError, type ServiceApp } from "@ark/service-kit";
import { z } from "zod";
import { sessionPrefix, storedSessionId } from "../auth/caller-namespace.js";
import { isValidSessionId, parseSessionId } from "../session-id.js";
import type { MessageStore } from "../store/message-store.js";
import { registerMethodNotAllowed } from "./method-not-allowed.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./paging.js";

const wildcard = z.object({ "*": z.string() });
const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().refine(isValidSessionId, "must be a cursor from nextCursor").optional(),
});

/** Extras over upstream: list sessions (paged by id), read one session's summary, delete a session. */
export function registerSessionRoutes(app: ServiceApp, store: MessageStore): void {
  app.get("/sessions", { schema: { querystring: listQuery } }, async (request) => store.listSessions({ ...request.query, prefix: sessionPrefix(request) }));

  app.get("/sessions/*", { schema: { params: wildcard } }, async (request) => {
    const sessionId = parseSessionId(request.params["*"]);
    const session = await store.getSession(storedSessionId(request, sessionId), sessionPrefix(request));
    if (!session) throw new ArkError("NOT_FOUND", `session ${JSON.stringify(sessionId)} not found`);
    return session;
  });

  app.delete("/sessions/*", { schema: { params: wildcard } }, async (request, reply) => {
    await store.deleteSession(storedSessionId(request, parseSessionId(request.params["*"])));
    return reply.code(204).send();
  });

  registerMethodNotAllowed(app, "/sessions/*", ["GET", "DELETE"]);
}
