import { createArkClient } from "@ark/kube";
import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiStack, type ApiStack } from "../test-support/api-stack.js";

describe.skipIf(!testPostgres())("ark tools|queries|memories create (the binary against ark-api)", { timeout: 240_000 }, () => {
  let stack: ApiStack;
  let ark: ReturnType<typeof createArkClient>;

  beforeAll(async () => {
    stack = await startApiStack("cli-create");
    ark = createArkClient(stack.kubeConfig);
  }, 120_000);
  afterAll(async () => stack?.close());

  it("creates an http tool and an mcp tool from flags", async () => {
    const http = await stack.ark(
      "tools",
      "create",
      "weather",
      "--type",
      "http",
      "--url",
      "https://wttr.in/{city}?format=3",
      "--description",
      "weather by city",
      "--input-schema",
      '{"type":"object","properties":{"city":{"type":"string"}}}',
    );
    expect(http.code, http.stderr).toBe(0);
    expect(http.stdout).toBe("tool/weather created\n");
    expect((await ark.tools.get("default", "weather"))?.spec).toMatchObject({
      type: "http",
      description: "weather by city",
      http: { url: "https://wttr.in/{city}?format=3", method: "GET" },
      inputSchema: { type: "object", properties: { city: { type: "string" } } },
    });
    const mcp = await stack.ark("tools", "create", "read-file", "--type", "mcp", "--mcp-server", "filesys");
    expect(mcp.code, mcp.stderr).toBe(0);
    expect((await ark.tools.get("default", "read-file"))?.spec.mcp).toEqual({ mcpServerRef: { name: "filesys" }, toolName: "read-file" });
  });

  it("creates a query with one target or several, and a memory by address or Service", async () => {
    const one = await stack.ark("queries", "create", "ask", "--input", "hello", "--target", "agent/weather", "--session", "s-1", "--timeout", "2m");
    expect(one.code, one.stderr).toBe(0);
    expect((await ark.queries.get("default", "ask"))?.spec).toMatchObject({ input: "hello", target: { type: "agent", name: "weather" }, sessionId: "s-1", timeout: "2m" });
    const many = await stack.ark("queries", "create", "both", "--input", "hi", "--target", "agent/a,team/t");
    expect(many.code, many.stderr).toBe(0);
    expect((await ark.queries.get("default", "both"))?.spec.targets).toEqual([
      { type: "agent", name: "a" },
      { type: "team", name: "t" },
    ]);
    expect((await stack.ark("memories", "create", "notes", "--address", "http://127.0.0.1:8002")).code).toBe(0);
    expect((await ark.memories.get("default", "notes"))?.spec.address).toEqual({ value: "http://127.0.0.1:8002" });
    expect((await stack.ark("memories", "create", "svc", "--service", "postgres-memory:http")).code).toBe(0);
    expect((await ark.memories.get("default", "svc"))?.spec.address).toEqual({ valueFrom: { serviceRef: { name: "postgres-memory", port: "http" } } });
  });

  it("refuses incomplete flags with exit 2 naming the flag", async () => {
    for (const [args, message] of [
      [["tools", "create", "t", "--type", "http"], "--url is required with --type http"],
      [["tools", "create", "t", "--type", "grpc"], '--type must be http or mcp, got "grpc"'],
      [["tools", "create", "t", "--type", "http", "--url", "https://x", "--input-schema", "[1]"], "--input-schema must be a JSON object"],
      [["queries", "create", "q", "--input", "hi", "--target", "robot/x"], 'target must be <agent|team|model|tool>/<name>, got "robot/x"'],
      [["memories", "create", "m"], "give exactly one of --address and --service"],
    ] as const) {
      const run = await stack.ark(...args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});
