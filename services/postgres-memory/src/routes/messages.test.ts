import type { Service } from "@ark/service-kit";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemoryConfig } from "../config.js";
import { toolConversation } from "../test-support/conversation.js";
import { memoryServiceFor } from "../test-support/memory-service.js";

describe.skipIf(!testPostgres())("message routes", () => {
  let db: TestDatabase;
  let service: Service<MemoryConfig>;
  const put = (url: string, payload: unknown) => service.app.inject({ method: "PUT", url, payload: payload as object });
  const get = (url: string) => service.app.inject({ method: "GET", url });

  beforeAll(async () => {
    db = await createTestDatabase({ label: "memory-routes" });
    service = await memoryServiceFor(db.url, { MAX_BODY_BYTES: "4096" });
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it("returns what PUT /messages stored, in order, with tool calls and tool messages verbatim", async () => {
    const first = await put("/messages/round-trip", { messages: toolConversation.slice(0, 3) });
    expect(first.statusCode).toBe(200);
    expect(first.body).toBe("");
    expect((await put("/messages/round-trip", { messages: toolConversation.slice(3) })).statusCode).toBe(200);

    const res = await get("/messages/round-trip");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ messages: toolConversation });
    expect(JSON.stringify(res.json().messages[2])).toBe(JSON.stringify(toolConversation[2]));
  });

  it("answers an unknown session with an empty list, not null (upstream answered null)", async () => {
    const res = await get("/messages/never-written");
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{"messages":[]}');
  });

  it("accepts an empty append without creating the session", async () => {
    expect((await put("/messages/empty-append", { messages: [] })).statusCode).toBe(200);
    expect((await service.app.inject({ url: "/sessions/empty-append" })).statusCode).toBe(404);
  });

  it("serves the single-message routes on the same session", async () => {
    expect((await put("/message/single", { message: { role: "user", content: "one" } })).statusCode).toBe(200);
    expect((await put("/message/single", { message: "any JSON goes" })).statusCode).toBe(200);
    const expected = { messages: [{ role: "user", content: "one" }, "any JSON goes"] };
    expect((await get("/message/single")).json()).toEqual(expected);
    expect((await get("/messages/single")).json()).toEqual(expected);
    expect((await put("/message/single", {})).statusCode).toBe(400);
  });

  it("accepts query-escaped ids with . : @ and decodes them", async () => {
    await put("/messages/tenant.a%3Auser%40example.com", { messages: [{ role: "user", content: "hi" }] });
    expect((await get("/messages/tenant.a:user@example.com")).json()).toEqual({ messages: [{ role: "user", content: "hi" }] });
  });

  it("keeps a 255-character session id (longer than the router's parameter limit)", async () => {
    const id = "s".repeat(255);
    expect((await put(`/messages/${id}`, { messages: [{ role: "user", content: "long" }] })).statusCode).toBe(200);
    expect((await get(`/messages/${id}`)).json().messages).toHaveLength(1);
  });

  it.each(["a%2Fb", "a/b", "a%20b", "x".repeat(256), "...", ""])("rejects session id %j with 400 naming the rule", async (id) => {
    const res = await get(`/messages/${id}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^Invalid session ID .*1-255 characters from A-Z a-z 0-9 _ - \. : @/);
  });

  it("answers 405 with Allow for other methods", async () => {
    for (const [method, url] of [
      ["POST", "/messages/x"],
      ["PATCH", "/messages/x"],
      ["POST", "/message/x"],
      ["DELETE", "/message/x"],
    ] as const) {
      const res = await service.app.inject({ method, url, payload: {} });
      expect(res.statusCode, `${method} ${url}`).toBe(405);
      expect(res.json().error.code).toBe("METHOD_NOT_ALLOWED");
      expect(res.headers.allow).toContain("GET");
    }
  });

  it("rejects invalid JSON and a body without a messages array with 400", async () => {
    const bad = await service.app.inject({ method: "PUT", url: "/messages/bad", payload: '{"messages": [', headers: { "content-type": "application/json" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("INVALID_INPUT");
    for (const payload of [{ message: [] }, { messages: null }, { messages: {} }]) {
      const res = await put("/messages/bad", payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain("body.messages");
    }
    expect((await get("/messages/bad")).body).toBe('{"messages":[]}');
  });

  it("rejects a message nested thousands of levels deep with 400 and stores nothing (deeper ones overflowed the stack: 500)", async () => {
    const deep = `${"[".repeat(2_000)}1${"]".repeat(2_000)}`;
    const res = await service.app.inject({ method: "PUT", url: "/message/deep", payload: `{"message":${deep}}`, headers: { "content-type": "application/json" } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^body\.message\.0\.0.*: nests deeper than 100 levels$/);
    expect((await get("/messages/deep")).json()).toEqual({ messages: [] });
  });

  it("answers 413 for a body over MAX_BODY_BYTES and stores nothing of it", async () => {
    const res = await put("/messages/too-big", { messages: [{ role: "user", content: "x".repeat(5000) }] });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe("PAYLOAD_TOO_LARGE");
    expect((await get("/messages/too-big")).json()).toEqual({ messages: [] });
  });

  it("pages with limit and after, and keeps the full answer without them", async () => {
    const all = Array.from({ length: 7 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `m${i}` }));
    await put("/messages/paged", { messages: all });
    const seen: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/messages/paged?limit=3${cursor === null ? "" : `&after=${cursor}`}`);
      const body = res.json() as { messages: unknown[]; nextCursor: string | null };
      seen.push(...body.messages);
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
    expect((await get("/messages/paged?limit=7")).json()).toEqual({ messages: all, nextCursor: null });
    expect((await get("/messages/paged?after=4")).json()).toEqual({ messages: all.slice(5), nextCursor: null });
    expect((await get("/messages/paged?limit=0")).statusCode).toBe(400);
    expect((await get("/messages/paged?after=abc")).statusCode).toBe(400);
  });

  it("deletes a session with 204, idempotently", async () => {
    await put("/messages/doomed", { messages: [{ role: "user", content: "bye" }] });
    expect((await service.app.inject({ method: "DELETE", url: "/messages/doomed" })).statusCode).toBe(204);
    expect((await get("/messages/doomed")).json()).toEqual({ messages: [] });
    expect((await service.app.inject({ method: "DELETE", url: "/messages/doomed" })).statusCode).toBe(204);
    await put("/messages/doomed", { messages: [{ role: "user", content: "again" }] });
    expect((await get("/messages/doomed")).json()).toEqual({ messages: [{ role: "user", content: "again" }] });
  });
});
