import { testNats, testPostgres } from "@ark/testing/vitest";
import { CallToolResultSchema, type CallToolResult, type Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answeringEvents, runScripted } from "./test-support/fake-worker.js";
import { freshNamespace, startMcpStack, type McpStack } from "./test-support/stack.js";

describe.skipIf(!testPostgres() || !testNats())("ark-mcp on NATS JetStream (bus opened from NATS_URL)", () => {
  let stack: McpStack;

  beforeAll(async () => {
    stack = await startMcpStack({ natsUrl: testNats()!.url });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("follows a query's events from JetStream: progress in order, then the answer", async () => {
    const ns = await freshNamespace(stack);
    await stack.ark.agents.create({ metadata: { name: "streamer", namespace: ns }, spec: { prompt: "p" } });
    const client = await stack.connect();
    const progress: Progress[] = [];
    const call = client.callTool({ name: "query", arguments: { target: "agent/streamer", input: "Hi", namespace: ns } }, CallToolResultSchema, {
      onprogress: (p) => progress.push(p),
    });
    await runScripted(stack, ns, answeringEvents("Streamed."));
    const result = (await call) as CallToolResult;
    expect(result.structuredContent).toMatchObject({ success: true, phase: "done", response: "Streamed.", target: "agent/streamer" });
    expect(progress.map((p) => p.message)).toEqual([
      "query started (agent/streamer)",
      "agent streamer started",
      "agent streamer: model call done (7 tokens)",
      "agent streamer: calling tool weather",
      "agent streamer: tool weather returned",
      "agent streamer answered",
      "query done",
    ]);
  });
});
