import { startRecordingServer, type RecordingServer } from "@ark/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { HttpPools } from "../http/pools.js";
import { httpSessionMemory } from "./http-memory.js";

let server: RecordingServer;
let base: string;
let pools: HttpPools;

beforeAll(async () => {
  pools = new HttpPools();
  server = await startRecordingServer((_req, res) => res.end(JSON.stringify({ messages: null })));
  base = server.url;
});
afterAll(async () => {
  await pools.close();
  await server.close();
});
beforeEach(() => server.reset());

const session = (options: { address?: string; sessionId?: string; timeoutMs?: number } = {}) =>
  httpSessionMemory({ memory: "ns/chat", address: options.address ?? `${base}/`, sessionId: options.sessionId ?? "s-1", pools, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });

describe("the HTTP memory client (docs/upstream-compat.md §9.2 contract)", () => {
  it("reads GET /messages/{session} with the upstream headers; null messages are an empty history", async () => {
    expect(await session().load()).toEqual([]);
    expect(server.requests[0]).toMatchObject({ method: "GET", url: "/messages/s-1", headers: { accept: "application/json", "user-agent": "ark-memory-client/1.0" } });

    const stored = [
      { role: "user", content: "hi" },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "w", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "c1", content: "sunny" },
    ];
    server.respond((_req, res) => res.end(JSON.stringify({ messages: stored })));
    expect(await session().load()).toEqual(stored);
  });

  it("appends with PUT {messages}; nothing is sent for no messages; the session id is escaped and a base path kept", async () => {
    const memory = session({ address: `${base}/memory/`, sessionId: "team.alpha:chat@x" });
    await memory.append([]);
    expect(server.requests).toHaveLength(0);
    await memory.append([
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
    ]);
    expect(server.requests[0]).toMatchObject({ method: "PUT", url: "/memory/messages/team.alpha%3Achat%40x", headers: { "content-type": "application/json" } });
    expect(JSON.parse(server.requests[0]!.body)).toEqual({
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
      ],
    });
  });

  it("an error status fails naming the Memory, the request and the service's answer", async () => {
    server.respond((_req, res) => res.writeHead(400).end(JSON.stringify({ error: "Invalid session ID" })));
    await expect(session().load()).rejects.toMatchObject({
      code: "MEMORY_ERROR",
      message: `memory ns/chat: GET ${base}/messages/s-1 answered 400 Bad Request: {"error":"Invalid session ID"}`,
    });
    server.respond((_req, res) => res.writeHead(503).end());
    await expect(session().append([{ role: "user", content: "x" }])).rejects.toThrow(`memory ns/chat: PUT ${base}/messages/s-1 answered 503 Service Unavailable`);
    expect(server.requests.filter((r) => r.method === "PUT")).toHaveLength(1); // no Retry-After: not retried
  });

  it("a service that is down, an answer that is not a conversation, or no answer in time fails naming the Memory", async () => {
    const down = httpSessionMemory({ memory: "ns/chat", address: "http://127.0.0.1:1", sessionId: "s", pools });
    await expect(down.load()).rejects.toMatchObject({ code: "MEMORY_ERROR", message: expect.stringMatching(/^memory ns\/chat: GET http:\/\/127\.0\.0\.1:1\/messages\/s failed: .*ECONNREFUSED/) });

    server.respond((_req, res) => res.end("<html>"));
    await expect(session().load()).rejects.toThrow("the answer is not JSON");
    server.respond((_req, res) => res.end(JSON.stringify({ messages: [{ role: "user", content: "ok" }, { text: "no role" }] })));
    await expect(session().load()).rejects.toThrow("messages[1] is not a chat message");

    server.respond(() => undefined);
    await expect(session({ timeoutMs: 50 }).load()).rejects.toThrow(`memory ns/chat: GET ${base}/messages/s-1: no answer within 0.05s`);
  });

  it("retries a 503 with Retry-After (the service's database is away), waiting at least Retry-After, a bounded number of times", async () => {
    const retrying = (maxAttempts: number) => httpSessionMemory({ memory: "ns/chat", address: base, sessionId: "s-1", pools, retry: { maxAttempts, baseDelayMs: 10, maxDelayMs: 1_000 } });
    let unavailable = 2;
    const at: number[] = [];
    server.respond((_req, res) => {
      at.push(Date.now());
      if (unavailable-- > 0) return res.writeHead(503, { "retry-after": "0.2" }).end(JSON.stringify({ error: { code: "UNAVAILABLE" } }));
      res.end(JSON.stringify({ messages: [{ role: "user", content: "back" }] }));
    });
    expect(await retrying(5).load()).toEqual([{ role: "user", content: "back" }]);
    expect(server.requests).toHaveLength(3);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(190);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(190);

    server.reset();
    server.respond((_req, res) => res.writeHead(503, { "retry-after": "0" }).end());
    await expect(retrying(3).append([{ role: "user", content: "x" }])).rejects.toMatchObject({
      code: "MEMORY_ERROR",
      message: `memory ns/chat: PUT ${base}/messages/s-1 answered 503 Service Unavailable (3 attempts)`,
    });
    expect(server.requests).toHaveLength(3);

    // The query's signal ends the wait between attempts.
    server.reset();
    server.respond((_req, res) => res.writeHead(503, { "retry-after": "30" }).end());
    const controller = new AbortController();
    const pending = retrying(5).load(controller.signal);
    await vi.waitFor(() => expect(server.requests).toHaveLength(1), { timeout: 10_000 });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "CANCELED" });
    expect(server.requests).toHaveLength(1);
  });

  it("the query's signal cancels a call; a bad address is reported as spec.address", async () => {
    server.respond(() => undefined);
    const controller = new AbortController();
    const pending = session().load(controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "CANCELED" });
    expect(() => session({ address: "memory-service:8080" })).toThrow('memory ns/chat: address "memory-service:8080" is not an http(s) URL (spec.address)');
    expect(() => session({ address: "" })).toThrow('memory ns/chat: address "" is not a URL (spec.address)');
  });
});
