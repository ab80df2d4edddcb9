import { createArkClient } from "@ark/kube";
import { MEMORY_TOKEN_AUDIENCE, namespaceToken } from "@ark/service-kit";
import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiStack, type ApiStack } from "../test-support/api-stack.js";

describe.skipIf(!testPostgres())("ark memory sessions|show|delete (the binary against ark-api and postgres-memory)", { timeout: 240_000 }, () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack("cli-memory");
    await createArkClient(stack.kubeConfig).memories.create({
      apiVersion: "ark.mckinsey.com/v1alpha1",
      kind: "Memory",
      metadata: { name: "default", namespace: "default" },
      spec: { address: { value: stack.memoryUrl } },
    } as never);
    const conversation = [
      { role: "user", content: "weather in Paris?" },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool", tool_call_id: "c1", content: "sunny" },
      { role: "assistant", content: "It is sunny." },
    ];
    const res = await fetch(`${stack.memoryUrl}/messages/paris-chat`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${namespaceToken(stack.memoryAuthSecret, MEMORY_TOKEN_AUDIENCE, "default")}` },
      body: JSON.stringify({ messages: conversation }),
    });
    expect(res.status).toBe(200);
  }, 120_000);
  afterAll(async () => stack?.close());

  it("lists the sessions as a table and as JSON", async () => {
    const table = await stack.ark("memory", "sessions");
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^SESSION\s+MEMORY\s+MESSAGES\s+LAST MESSAGE\s+AGE$/);
    expect(lines[1]).toMatch(/^paris-chat\s+default\s+4\s+\d+s\s+\d+s$/);
    const json = await stack.ark("memory", "sessions", "-o", "json");
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ sessionId: "paris-chat", memoryName: "default", messageCount: 4 })]);
  });

  it("shows a session's messages one per line, tool calls by name", async () => {
    const shown = await stack.ark("memory", "show", "paris-chat");
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain("Session: paris-chat\nMemory:  default\nMessages: 4\n");
    expect(shown.stdout).toContain('user: weather in Paris?\nassistant: → weather({"city":"Paris"})\ntool: sunny\nassistant: It is sunny.\n');
  });

  it("says what is wrong with exit 1: an unknown session, a bad id, another namespace", async () => {
    const missing = await stack.ark("memory", "show", "nope");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('session "nope" not found in the memories of namespace default');
    const bad = await stack.ark("memory", "show", "a b");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/1-255 characters from A-Z a-z 0-9/);
    const elsewhere = await stack.ark("-n", "team-x", "memory", "sessions");
    expect(elsewhere.stdout).toContain("No sessions found in namespace team-x.");
  });

  it("deletes a session; deleting it again fails unless --ignore-not-found", async () => {
    const deleted = await stack.ark("memory", "delete", "paris-chat");
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe("session/paris-chat deleted (memory default)\n");
    expect((await stack.ark("memory", "sessions")).stdout).toContain("No sessions found in namespace default.");
    const again = await stack.ark("memory", "delete", "paris-chat");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('session "paris-chat" not found');
    expect((await stack.ark("memory", "delete", "paris-chat", "--ignore-not-found")).code).toBe(0);
  });
});
