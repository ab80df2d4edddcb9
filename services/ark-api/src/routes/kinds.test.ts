import { arkKinds } from "@ark/types";
import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createArkClient } from "@ark/kube";
import { kindDtos } from "../dto/index.js";
import { startTestStack, type TestStack } from "../test-support/harness.js";

interface KindCase {
  create: Record<string, unknown>;
  update: Record<string, unknown>;
  /** What the detail shows after the update. */
  updated: (detail: any) => unknown;
  expected: unknown;
  invalid: Record<string, unknown>;
  invalidField: string;
}

const address = { value: "http://svc.example:8080" };
const cases: Record<string, KindCase> = {
  agents: {
    create: { prompt: "You help.", modelRef: { name: "default" }, tools: [{ type: "built-in", name: "noop" }] },
    update: { description: "updated" },
    updated: (d) => [d.description, d.prompt],
    expected: ["updated", "You help."],
    invalid: { tools: [{ type: "built-in" }] },
    invalidField: "spec.tools[0].name",
  },
  models: {
    create: { type: "openai", model: "gpt-4.1-mini", config: { openai: { apiKey: "sk-1", baseUrl: "http://mock/v1" }, azure: { apiKey: "x", baseUrl: "y" } } },
    update: { model: "gpt-5" },
    updated: (d) => [d.model, Object.keys(d.config)],
    expected: ["gpt-5", ["openai"]],
    invalid: { type: "openai", model: "m", config: { openai: { apiKey: "k" } } },
    invalidField: "spec.config.openai.baseUrl",
  },
  teams: {
    create: { members: [{ name: "a", type: "agent" }], strategy: "sequential" },
    update: { maxTurns: 3 },
    updated: (d) => d.maxTurns,
    expected: 3,
    invalid: { members: [{ name: "a", type: "agent" }], strategy: 5 },
    invalidField: "spec.strategy",
  },
  queries: {
    create: { input: "hello", targets: [{ type: "agent", name: "a" }] },
    update: { input: "hello again" },
    updated: (d) => d.input,
    expected: "hello again",
    invalid: { input: "x", targets: [{ type: "robot", name: "a" }] },
    invalidField: "spec.targets[0].type",
  },
  tools: {
    create: { spec: { type: "http", http: { url: "http://tools.example/x" } } },
    update: { spec: { description: "fetches" } },
    updated: (d) => [d.spec.description, d.spec.http.url],
    expected: ["fetches", "http://tools.example/x"],
    invalid: { spec: { type: "ftp" } },
    invalidField: "spec.type",
  },
  "mcp-servers": {
    create: { spec: { address } },
    update: { spec: { description: "files" } },
    updated: (d) => d.spec.description,
    expected: "files",
    invalid: { spec: {} },
    invalidField: "spec.address",
  },
  "a2a-servers": {
    create: { spec: { address } },
    update: { spec: { description: "remote" } },
    updated: (d) => d.spec.description,
    expected: "remote",
    invalid: { spec: { address: 7 } },
    invalidField: "spec.address",
  },
  memories: {
    create: { address },
    update: { address: { value: "http://other:1" } },
    updated: (d) => d.address.value,
    expected: "http://other:1",
    invalid: {},
    invalidField: "spec.address",
  },
  evaluators: {
    create: { spec: { address } },
    update: { spec: { description: "judge" } },
    updated: (d) => d.spec.description,
    expected: "judge",
    invalid: { spec: { address: { value: 1 } } },
    invalidField: "spec.address.value",
  },
  evaluations: {
    create: { spec: { type: "direct", evaluator: { name: "judge" }, config: { input: "a", output: "b" } } },
    update: { spec: { timeout: "2m" } },
    updated: (d) => d.spec.timeout,
    expected: "2m",
    invalid: { spec: { type: "sideways", evaluator: { name: "judge" } } },
    invalidField: "spec.type",
  },
  "execution-engines": {
    create: { spec: { type: "langchain", address } },
    update: { spec: { description: "engine" } },
    updated: (d) => d.spec.description,
    expected: "engine",
    invalid: { spec: { type: "langchain", address: [] } },
    invalidField: "spec.address",
  },
  "reference-grants": {
    create: { spec: { from: [{ kind: "Query", namespace: "team-a" }], to: [{ kind: "Memory" }] } },
    update: { spec: { from: [{ kind: "Query", namespace: "team-b" }], to: [{ kind: "Memory" }] } },
    updated: (d) => d.spec.from[0].namespace,
    expected: "team-b",
    invalid: { spec: { from: [{ kind: "Secret", namespace: "team-a" }], to: [{ kind: "Memory" }] } },
    invalidField: "spec.from[0].kind",
  },
  "a2a-tasks": {
    create: { spec: { queryRef: { name: "q" }, a2aServerRef: { name: "weather" }, agentRef: { name: "weather-agent" }, taskId: "task-1" } },
    update: { spec: { queryRef: { name: "q" }, a2aServerRef: { name: "weather" }, agentRef: { name: "weather-agent" }, taskId: "task-1", input: "hi" } },
    updated: (d) => d.spec.input,
    expected: "hi",
    invalid: { spec: { queryRef: { name: "q" }, a2aServerRef: { name: "weather" }, agentRef: {}, taskId: "" } },
    invalidField: "spec.taskId",
  },
};

describe("the kind registry", () => {
  it("serves every ARK kind", () => {
    // ToolApprovalRequests have routes of their own (tool-approvals: list, approve, reject), not the generic CRUD.
    const served = new Set([...Object.values(kindDtos).map((dto) => dto.definition.kind), "ToolApprovalRequest"]);
    expect([...served].sort()).toEqual(arkKinds.map((k) => k.kind).sort());
    expect(Object.keys(cases).sort()).toEqual(Object.keys(kindDtos).sort());
  });
});

describe.skipIf(!testPostgres())("kind routes", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack("ark-api-kinds");
  });
  afterAll(async () => stack?.close());

  describe.each(Object.entries(cases))("%s", (segment, c) => {
    const base = `/v1/namespaces/default/${segment}`;
    const name = `crud-${segment}`;

    it("creates, gets, lists, updates and deletes", async () => {
      const created = await stack.call("POST", base, { name, labels: { suite: "crud" }, ...c.create });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      expect(created.body).toMatchObject({ name, namespace: "default" });

      const got = await stack.call("GET", `${base}/${name}`);
      expect(got.status).toBe(200);
      expect(got.body.name).toBe(name);

      const list = await stack.call("GET", `${base}?labelSelector=suite%3Dcrud`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: { name: string }) => i.name)).toEqual([name]);
      expect(list.body.count).toBe(1);

      const updated = await stack.call("PUT", `${base}/${name}`, c.update);
      expect(updated.status, JSON.stringify(updated.body)).toBe(200);
      expect(c.updated(updated.body)).toEqual(c.expected);

      expect((await stack.call("DELETE", `${base}/${name}`)).status).toBe(204);
      expect((await stack.call("GET", `${base}/${name}`)).status).toBe(404);
      expect((await stack.call("DELETE", `${base}/${name}`)).status).toBe(404);
    });

    it("answers 422 with the field path for an invalid body, 409 for a duplicate", async () => {
      const invalid = await stack.call("POST", base, { name: `bad-${segment}`, ...c.invalid });
      expect(invalid.status, JSON.stringify(invalid.body)).toBe(422);
      expect(invalid.body.error.code).toBe("UNPROCESSABLE");
      expect(invalid.body.error.details.map((d: { field: string }) => d.field)).toContain(c.invalidField);

      const dup = `dup-${segment}`;
      expect((await stack.call("POST", base, { name: dup, ...c.create })).status).toBe(200);
      const again = await stack.call("POST", base, { name: dup, ...c.create });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("CONFLICT");
    });
  });

  it("lists an agent Tool with its MCP hints as toolAnnotations", async () => {
    const spec = { type: "agent", agent: { name: "researcher" }, annotations: { readOnlyHint: true, title: "Researcher" } };
    const created = await stack.call("POST", "/v1/namespaces/default/tools", { name: "ask-researcher", labels: { suite: "hints" }, spec });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const list = await stack.call("GET", "/v1/namespaces/default/tools?labelSelector=suite%3Dhints");
    expect(list.body.items).toEqual([expect.objectContaining({ name: "ask-researcher", type: "agent", toolAnnotations: { readOnlyHint: true, title: "Researcher" } })]);
    const got = await stack.call("GET", "/v1/namespaces/default/tools/ask-researcher");
    expect(got.body.spec.agent).toEqual({ name: "researcher" });
  });

  it("replaces the whole object on a PUT with the resourceVersion read: fields and labels left out are removed; a stale version is 409", async () => {
    const base = "/v1/namespaces/default/agents";
    const created = await stack.call("POST", base, { name: "replaced", labels: { keep: "no" }, description: "goes", prompt: "You help.", maxIterations: 4 });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const read = created.body.resourceVersion as string;
    const replaced = await stack.call("PUT", `${base}/replaced`, { resourceVersion: read, prompt: "You help more." });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body).toMatchObject({ prompt: "You help more.", labels: {} });
    expect(replaced.body.description).toBeUndefined();
    expect(replaced.body.maxIterations).toBeUndefined();
    // The version read before that replace is stale now: nothing changes.
    const stale = await stack.call("PUT", `${base}/replaced`, { resourceVersion: read, prompt: "Lost update" });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain(`resourceVersion ${read}`);
    expect((await stack.call("GET", `${base}/replaced`)).body.prompt).toBe("You help more.");
    // With the generation read, a status write since (a controller's) is no conflict; a spec change is.
    const current = await stack.call("GET", `${base}/replaced`);
    const ark = createArkClient(stack.kubeConfig);
    await ark.agents.patchStatus("default", "replaced", { conditions: [{ type: "Available", status: "True", reason: "Test", message: "status only", lastTransitionTime: new Date().toISOString() }] } as never);
    expect((await stack.call("GET", `${base}/replaced`)).body.resourceVersion).not.toBe(current.body.resourceVersion);
    const afterStatus = await stack.call("PUT", `${base}/replaced`, { resourceVersion: current.body.resourceVersion, generation: current.body.generation, prompt: "Status changes are fine." });
    expect(afterStatus.status, JSON.stringify(afterStatus.body)).toBe(200);
    expect(afterStatus.body.generation).toBe(current.body.generation + 1);
    const specChanged = await stack.call("PUT", `${base}/replaced`, { resourceVersion: current.body.resourceVersion, generation: current.body.generation, prompt: "Lost update" });
    expect(specChanged.status).toBe(409);
    expect(specChanged.body.error.message).toContain(`generation ${current.body.generation}; now`);
    // Wrapped kinds (spec under `spec`) too.
    const tool = await stack.call("POST", "/v1/namespaces/default/tools", { name: "replaced-tool", spec: { type: "http", description: "goes", http: { url: "http://svc.example/x" } } });
    expect(tool.status, JSON.stringify(tool.body)).toBe(200);
    const toolReplaced = await stack.call("PUT", "/v1/namespaces/default/tools/replaced-tool", { resourceVersion: tool.body.resourceVersion, spec: { type: "http", http: { url: "http://svc.example/y" } } });
    expect(toolReplaced.status, JSON.stringify(toolReplaced.body)).toBe(200);
    expect(toolReplaced.body.spec).toEqual({ type: "http", http: { url: "http://svc.example/y", method: "GET" } });
    // Without a resourceVersion, a PUT still sets only the fields given.
    const merged = await stack.call("PUT", `${base}/replaced`, { description: "back" });
    expect(merged.body).toMatchObject({ description: "back", prompt: "Status changes are fine." });
  });

  it("rejects bad names and non-object bodies with 422, unknown objects with 404", async () => {
    const badName = await stack.call("POST", "/v1/namespaces/default/agents", { name: "Not_Valid" });
    expect(badName.status).toBe(422);
    expect(badName.body.error.details[0].field).toBe("metadata.name");
    expect((await stack.call("POST", "/v1/namespaces/default/agents", [1, 2])).status).toBe(422);
    expect((await stack.call("PUT", "/v1/namespaces/default/agents/nope", { description: "x" })).status).toBe(404);
    const missing = await stack.call("GET", "/v1/namespaces/default/agents/nope");
    expect(missing.body.error.message).toBe("Agent 'nope' not found in namespace default");
  });

  it("pages lists with limit and page", async () => {
    for (const n of ["p1", "p2", "p3"]) await stack.call("POST", "/v1/namespaces/default/teams", { name: n, labels: { paged: "yes" }, ...cases.teams!.create });
    const page2 = await stack.call("GET", "/v1/namespaces/default/teams?labelSelector=paged%3Dyes&limit=2&page=2");
    expect(page2.body).toMatchObject({ count: 1, total: 3 });
    expect(page2.body.items[0].members_count).toBe(1);
  });
});
