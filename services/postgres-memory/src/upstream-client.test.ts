import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start, type RunningMemoryService } from "./server.js";
import { toolConversation } from "./test-support/conversation.js";
import { testConfig } from "./test-support/memory-service.js";

/** Go's url.QueryEscape: only A-Z a-z 0-9 - _ . ~ pass, space becomes +. */
function goQueryEscape(value: string): string {
  return Array.from(new TextEncoder().encode(value), (byte) => {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(char)) return char;
    return char === " " ? "+" : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }).join("");
}

/** What the upstream Go controller's HTTP memory client does (docs/upstream-compat.md §9.2). */
class UpstreamMemoryClient {
  constructor(private readonly base: string) {}

  async getMessages(sessionId: string): Promise<unknown[]> {
    const res = await fetch(`${this.base.replace(/\/$/, "")}/messages/${goQueryEscape(sessionId)}`, {
      headers: { Accept: "application/json", "User-Agent": "ark-memory-client/1.0" },
    });
    if (res.status < 200 || res.status > 299) throw new Error(`HTTP status ${res.status}`);
    const body = (await res.json()) as { messages?: unknown[] | null };
    return body.messages ?? [];
  }

  async addMessages(sessionId: string, messages: unknown[]): Promise<void> {
    if (messages.length === 0) return;
    const res = await fetch(`${this.base.replace(/\/$/, "")}/messages/${sessionId}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", "User-Agent": "ark-memory-client/1.0" },
      body: JSON.stringify({ messages }),
    });
    await res.arrayBuffer();
    if (res.status < 200 || res.status > 299) throw new Error(`HTTP status ${res.status}`);
  }
}

describe.skipIf(!testPostgres())("the upstream controller's memory client", () => {
  let db: TestDatabase;
  let memory: RunningMemoryService;
  let client: UpstreamMemoryClient;

  beforeAll(async () => {
    db = await createTestDatabase({ label: "memory-client" });
    memory = await start(testConfig(db.url));
    client = new UpstreamMemoryClient(`${memory.url}/`);
  });
  afterAll(async () => {
    await memory?.stop();
    await db?.drop();
  });

  it.each(["3f1c9a52-6b0e-4d8e-a1f7-0c2b9e4d7a61", "user-42", "team.alpha:chat@example.com"])("reads back an agent turn for session %s", async (sessionId) => {
    expect(await client.getMessages(sessionId)).toEqual([]);
    await client.addMessages(sessionId, [...toolConversation]);
    await client.addMessages(sessionId, []);
    await client.addMessages(sessionId, [{ role: "user", content: "and tomorrow? \u0000 nul survives" }]);
    expect(await client.getMessages(sessionId)).toEqual([...toolConversation, { role: "user", content: "and tomorrow? \u0000 nul survives" }]);
  });

  it("surfaces a rejected session id as the client's HTTP status error", async () => {
    await expect(client.getMessages("has space")).rejects.toThrow("HTTP status 400");
    await expect(client.getMessages("slash/in/id")).rejects.toThrow("HTTP status 400");
  });
});
