import { start as startMemory, memoryConfig, type RunningMemoryService } from "@ark/postgres-memory";
import { createArkClient } from "@ark/kube";
import { loadConfig, MEMORY_TOKEN_AUDIENCE, namespaceToken } from "@ark/service-kit";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../test-support/harness.js";

const SECRET = "s".repeat(40);

describe.skipIf(!testPostgres())("memory session routes (/v1/namespaces/{ns}/sessions)", () => {
  let stack: TestStack;
  let memoryDb: TestDatabase;
  let memory: RunningMemoryService;
  let call: TestStack["call"];

  const put = (namespace: string, session: string, messages: unknown[]) =>
    fetch(`${memory.url}/messages/${session}`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${namespaceToken(SECRET, MEMORY_TOKEN_AUDIENCE, namespace)}` },
      body: JSON.stringify({ messages }),
    });

  beforeAll(async () => {
    memoryDb = await createTestDatabase({ label: "ark-api-sessions" });
    memory = await startMemory(loadConfig(memoryConfig, { PORT: "0", LOG_LEVEL: "silent", DATABASE_URL: memoryDb.url, MEMORY_AUTH_SECRET: SECRET }));
    stack = await startTestStack("ark-api-sessions");
    const api = await stack.startApi({ MEMORY_AUTH_SECRET: SECRET });
    call = async (method, path) => {
      const res = await fetch(`${api.url}${path}`, { method });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    };
    const ark = createArkClient(stack.kubeConfig);
    await stack.call("POST", "/v1/namespaces", { name: "team-b" });
    for (const [namespace, name, address] of [
      ["default", "default", memory.url],
      ["default", "gone", "http://127.0.0.1:9"],
      ["team-b", "default", memory.url],
    ] as const) {
      await ark.memories.create({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Memory", metadata: { name, namespace }, spec: { address: { value: address } } } as never);
    }
    expect(
      (
        await put("default", "chat-1", [
          { role: "user", content: "hi" },
          { role: "assistant", content: "hello" },
        ])
      ).status,
    ).toBe(200);
    expect((await put("default", "chat-2", [{ role: "user", content: "two" }])).status).toBe(200);
    expect((await put("team-b", "chat-1", [{ role: "user", content: "team b's" }])).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.close();
    await memory?.stop();
    await memoryDb?.drop();
  });

  it("lists the namespace's sessions with their memory and counts, and names a memory it cannot reach", async () => {
    const res = await call("GET", "/v1/namespaces/default/sessions");
    expect(res.status).toBe(200);
    expect(res.body.items.map((s: { sessionId: string; memoryName: string; messageCount: number }) => [s.sessionId, s.memoryName, s.messageCount])).toEqual([
      ["chat-1", "default", 2],
      ["chat-2", "default", 1],
    ]);
    expect(res.body.total).toBe(2);
    expect(res.body.unavailable).toEqual([{ memoryName: "gone", message: expect.stringMatching(/^memory default\/gone \(http:\/\/127\.0\.0\.1:9\) is unreachable/) }]);
  });

  it("keeps namespaces apart: team-b sees only its own session of the same id", async () => {
    const res = await call("GET", "/v1/namespaces/team-b/sessions");
    expect(res.body.items.map((s: { sessionId: string }) => s.sessionId)).toEqual(["chat-1"]);
    const shown = await call("GET", "/v1/namespaces/team-b/sessions/chat-1");
    expect(shown.body.messages).toEqual([{ role: "user", content: "team b's" }]);
  });

  it("shows a session with its messages in order", async () => {
    const res = await call("GET", "/v1/namespaces/default/sessions/chat-1?memory=default");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      sessionId: "chat-1",
      memoryName: "default",
      messageCount: 2,
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
      ],
    });
  });

  it("answers 404 for an unknown session or memory, 422 naming a bad session id, 503 for an unreachable named memory", async () => {
    const missing = await call("GET", "/v1/namespaces/default/sessions/nope?memory=default");
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('session "nope" not found in memory default/default');
    expect((await call("GET", "/v1/namespaces/default/sessions/chat-1?memory=other")).body.error.message).toBe('memory "other" not found in namespace default');
    const bad = await call("GET", "/v1/namespaces/default/sessions/a%20b");
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/^params\.\*: 1-255 characters from A-Z a-z 0-9/);
    const unreachable = await call("GET", "/v1/namespaces/default/sessions/chat-1?memory=gone");
    expect(unreachable.status).toBe(503);
    expect(unreachable.body.error.message).toContain("memory default/gone");
  });

  it("says so when ark-api's memory secret is not the memory's", async () => {
    const other = await stack.startApi({ MEMORY_AUTH_SECRET: "x".repeat(40) });
    const res = await fetch(`${other.url}/v1/namespaces/default/sessions/chat-1?memory=default`);
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/refused ark-api \(401.*MEMORY_AUTH_SECRET must be the memory's/);
  });

  it("deletes a session and its messages; a second delete is 404, or 503 while a memory that may hold it is away", async () => {
    const res = await call("DELETE", "/v1/namespaces/default/sessions/chat-2");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sessionId: "chat-2", deletedFrom: ["default"] });
    expect((await call("GET", "/v1/namespaces/default/sessions")).body.items.map((s: { sessionId: string }) => s.sessionId)).toEqual(["chat-1"]);
    expect((await call("DELETE", "/v1/namespaces/default/sessions/chat-2?memory=default")).status).toBe(404);
    const unsure = await call("DELETE", "/v1/namespaces/default/sessions/chat-2");
    expect(unsure.status).toBe(503);
    expect(unsure.body.error.message).toContain("memory default/gone");
    expect((await call("GET", "/v1/namespaces/team-b/sessions/chat-1")).status).toBe(200);
  });
});
