import type { ServiceApp } from "@ark/service-kit";
import { z } from "zod";
import { storedSessionId } from "../auth/caller-namespace.js";
import { parseSessionId } from "../session-id.js";
import type { MessageStore } from "../store/message-store.js";
import { messagePageJson, messagesJson } from "./json-text.js";
import { registerMethodNotAllowed } from "./method-not-allowed.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./paging.js";

// A wildcard, not `:id`: the router drops parameters longer than 100 characters, and ids may have 255.
const wildcard = z.object({ "*": z.string() });
const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  after: z
    .string()
    .regex(/^\d{1,9}$/, "must be a cursor from nextCursor")
    .optional(),
});
const appendBody = z.object({ messages: z.array(z.unknown()) });
const appendOneBody = z.object({ message: z.unknown().refine((value) => value !== undefined, "is required") });

const JSON_TYPE = "application/json; charset=utf-8";

/** The upstream contract (`/messages/{id}`, `/message/{id}`) plus paging and delete. */
export function registerMessageRoutes(app: ServiceApp, store: MessageStore, maxBodyBytes: number): void {
  app.get("/messages/*", { schema: { params: wildcard, querystring: pageQuery } }, async (request, reply) => {
    const sessionId = storedSessionId(request, parseSessionId(request.params["*"]));
    const { limit, after } = request.query;
    if (limit === undefined && after === undefined) return reply.type(JSON_TYPE).send(messagesJson(await store.readAll(sessionId)));
    const page = await store.readPage(sessionId, { limit: limit ?? DEFAULT_PAGE_SIZE, after: after === undefined ? undefined : Number(after) });
    return reply.type(JSON_TYPE).send(messagePageJson(page));
  });

  app.put("/messages/*", { bodyLimit: maxBodyBytes, schema: { params: wildcard, body: appendBody } }, async (request, reply) => {
    const sessionId = storedSessionId(request, parseSessionId(request.params["*"]));
    if (request.body.messages.length > 0)
      await store.append(
        sessionId,
        request.body.messages.map((m) => JSON.stringify(m)),
      );
    return reply.code(200).send();
  });

  app.delete("/messages/*", { schema: { params: wildcard } }, async (request, reply) => {
    await store.deleteSession(storedSessionId(request, parseSessionId(request.params["*"])));
    return reply.code(204).send();
  });

  app.get("/message/*", { schema: { params: wildcard } }, async (request, reply) => {
    const sessionId = storedSessionId(request, parseSessionId(request.params["*"]));
    return reply.type(JSON_TYPE).send(messagesJson(await store.readAll(sessionId)));
  });

  app.put("/message/*", { bodyLimit: maxBodyBytes, schema: { params: wildcard, body: appendOneBody } }, async (request, reply) => {
    const sessionId = storedSessionId(request, parseSessionId(request.params["*"]));
    await store.append(sessionId, [JSON.stringify(request.body.message)]);
    return reply.code(200).send();
  });

  registerMethodNotAllowed(app, "/messages/*", ["GET", "PUT", "DELETE"]);
  registerMethodNotAllowed(app, "/message/*", ["GET", "PUT"]);
}
