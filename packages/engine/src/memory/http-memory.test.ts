import { startRecordingServer, type RecordingServer } from "@ark/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
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
    await memory.append([{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }]);
    expect(server.requests[0]).toMatchObject({ method: "PUT", url: "/memory/messages/team.alpha%3Achat%40x", headers: { "content-type": "application/json" } });
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }] });
  });

  it("an error status fails naming the Memory, the request and the service's answer", async () => {
    server.respond((_req, res) => res.writeHead(400).end(JSON.stringify({ error: "Invalid session ID" })));
    await expect(session().load()).rejects.toMatchObject({
      code: "MEMORY_ERROR",
      message: `memory ns/chat: GET ${base}/messages/s-1 answered 400 Bad Request: {"error":"Invalid session ID"}`,
    });
    server.respond((_req, res) => res.writeHead(503).end());
    await expect(session().append([{ role: "user", content: "x" }])).rejects.toThrow(`memory ns/chat: PUT ${base}/messages/s-1 answered 503 Service Unavailable`);
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
