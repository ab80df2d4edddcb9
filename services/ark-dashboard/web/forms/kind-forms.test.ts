import { describe, expect, it } from "vitest";
import { kindPage } from "../kinds.js";
import { editedSpec, FieldInputError, fieldForPath, KIND_FORMS, NAME_FIELD } from "./kind-forms.js";
import { checkManifest } from "./manifest.js";

const form = (segment: string) => KIND_FORMS[segment]!;
/** Where the form shows the schema's errors for these values. */
function errorsAt(segment: string, values: Record<string, string>): Record<string, string> {
  const spec = form(segment).toSpec(values);
  const problems = checkManifest(kindPage(segment)!, "default", { name: values.name ?? "", spec }, "create");
  const fields = [NAME_FIELD, ...form(segment).fields];
  return Object.fromEntries(problems.map((p) => [fieldForPath(fields, p.field) ?? `?${p.field}`, p.detail]));
}

describe("the kind forms", () => {
  it("make a Model whose API key comes from a Secret, and read it back", () => {
    const values = { name: "gpt", type: "openai", model: "gpt-4.1-mini", baseUrl: "https://api.openai.com/v1", apiKeySecret: "openai", apiKeySecretKey: "", apiKey: "" };
    const spec = form("models").toSpec(values);
    expect(spec).toEqual({
      type: "openai",
      model: { value: "gpt-4.1-mini" },
      config: { openai: { baseUrl: { value: "https://api.openai.com/v1" }, apiKey: { valueFrom: { secretKeyRef: { name: "openai", key: "token" } } } } },
    });
    expect(errorsAt("models", values)).toEqual({});
    expect(form("models").fromSpec(spec)).toMatchObject({ type: "openai", model: "gpt-4.1-mini", apiKeySecret: "openai", apiKeySecretKey: "token" });
  });

  it("put each schema error at the field that holds the value", () => {
    expect(Object.keys(errorsAt("models", { name: "Bad_Name", type: "openai", model: "", baseUrl: "", apiKey: "" }))).toEqual(expect.arrayContaining(["name", "model"]));
    expect(Object.keys(errorsAt("models", { name: "m", type: "openai", model: "x", baseUrl: "https://x", apiKey: "" }))).toEqual(["apiKey"]);
    expect(errorsAt("teams", { name: "t", strategy: "graph", members: "a\nb", edges: "", maxTurns: "0" })).toHaveProperty("maxTurns");
    expect(Object.keys(errorsAt("queries", { name: "q", input: "hi", target: "" }))).toEqual(["target"]);
    expect(Object.keys(errorsAt("tools", { name: "t", type: "http", url: "" }))).toEqual(["url"]);
    expect(Object.keys(errorsAt("tools", { name: "t", type: "mcp", mcpServer: "", toolName: "" }))).toEqual(expect.arrayContaining(["mcpServer"]));
    expect(Object.keys(errorsAt("mcp-servers", { name: "m", address: "http://x/mcp", transport: "http", timeout: "soon" }))).toEqual(["timeout"]);
    expect(Object.keys(errorsAt("memories", { name: "m", address: "" }))).toEqual(["address"]);
    expect(Object.keys(errorsAt("evaluators", { name: "e", address: "" }))).toEqual(["address"]);
  });

  it("make a Tool of every type, each error at its field", () => {
    expect(form("tools").toSpec({ type: "agent", agentName: "researcher", description: "Asks the researcher" })).toEqual({ type: "agent", description: "Asks the researcher", agent: { name: "researcher" } });
    expect(form("tools").toSpec({ type: "team", teamName: "crew" })).toEqual({ type: "team", team: { name: "crew" } });
    expect(form("tools").toSpec({ type: "builtin", builtinName: "terminate" })).toEqual({ type: "builtin", builtin: { name: "terminate" } });
    // Only the chosen type's block is sent, whatever the hidden inputs still hold.
    expect(form("tools").toSpec({ type: "team", teamName: "crew", url: "https://x", agentName: "a", mcpServer: "fs" })).toEqual({ type: "team", team: { name: "crew" } });
    expect(form("tools").toSpec({ type: "http", url: "https://x/{id}", method: "POST", body: '{"id": "{{.input.id}}"}', httpTimeout: "10s" })).toEqual({
      type: "http",
      http: { url: "https://x/{id}", method: "POST", body: '{"id": "{{.input.id}}"}', timeout: "10s" },
    });
    expect(form("tools").toSpec({ type: "http", url: "https://x", method: "GET", body: "ignored for GET" }).http).toEqual({ url: "https://x", method: "GET" });
    expect(Object.keys(errorsAt("tools", { name: "t", type: "agent", agentName: "" }))).toEqual(["agentName"]);
    expect(Object.keys(errorsAt("tools", { name: "t", type: "team", teamName: "" }))).toEqual(["teamName"]);
    expect(errorsAt("tools", { name: "t", type: "builtin", builtinName: "noop" })).toEqual({});
    expect(Object.keys(errorsAt("tools", { name: "t", type: "http", url: "https://x", httpTimeout: "soon" }))).toEqual(["httpTimeout"]);
  });

  it("ask for approval on a Tool: required, a reason to reject, a CEL condition and a timeout, errors at their fields", () => {
    const values = { type: "builtin", builtinName: "noop", approval: "required, a rejection gives a reason", approvalWhen: "args.amount > 100", approvalTimeout: "10m" };
    const spec = form("tools").toSpec(values);
    expect(spec.approval).toEqual({ required: true, reasonRequired: true, when: "args.amount > 100", timeout: "10m" });
    expect(form("tools").fromSpec(spec)).toMatchObject(values);
    expect(form("tools").toSpec({ ...values, approval: "" }).approval).toBeUndefined();
    expect(form("tools").fromSpec({ type: "builtin", approval: { when: "args.x" } }).approval).toBe("required");
    expect(Object.keys(errorsAt("tools", { name: "t", ...values, approvalWhen: "args.amount >" }))).toEqual(["approvalWhen"]);
    expect(Object.keys(errorsAt("tools", { name: "t", ...values, approvalTimeout: "later" }))).toEqual(["approvalTimeout"]);
  });

  it("name every spec field they make, so an edit knows which fields are the form's", () => {
    const full: Record<string, Record<string, string>[]> = {
      models: [{ type: "openai", model: "m", baseUrl: "https://x", apiKey: "k" }],
      teams: [
        { description: "d", strategy: "graph", members: "a", maxTurns: "2", edges: "a -> a" },
        { strategy: "selector", members: "a", selectorModel: "m" },
      ],
      queries: [{ input: "hi", target: "agent/a", sessionId: "s", timeout: "5m", evaluators: "e" }],
      tools: ["http", "mcp", "agent", "team", "builtin"].map((type) => ({
        type,
        description: "d",
        inputSchema: "{}",
        url: "https://x",
        method: "POST",
        body: "{}",
        mcpServer: "fs",
        toolName: "t",
        agentName: "a",
        teamName: "t",
        builtinName: "noop",
        approval: "required",
      })),
      "mcp-servers": [{ address: "http://x/mcp", transport: "http", description: "d", timeout: "5s", pollInterval: "1m" }],
      memories: [{ address: "http://x" }],
      evaluators: [{ address: "http://x", description: "d", judgeModel: "m" }],
    };
    expect(Object.keys(full).sort()).toEqual(Object.keys(KIND_FORMS).sort());
    for (const [segment, cases] of Object.entries(full)) {
      for (const values of cases) expect(form(segment).specKeys, segment).toEqual(expect.arrayContaining(Object.keys(form(segment).toSpec(values))));
    }
  });

  it("edit a spec: the form's fields as the form holds them (emptied: removed), the others kept", () => {
    const current = { type: "http", description: "old", http: { url: "https://x", method: "GET" }, approval: { required: true }, annotations: { readOnlyHint: true } };
    const values = { ...form("tools").fromSpec(current), description: "", approval: "" };
    expect(editedSpec(form("tools"), current, values)).toEqual({ type: "http", http: { url: "https://x", method: "GET" }, annotations: { readOnlyHint: true } });
    // A type changed in the form drops the old type's block.
    expect(editedSpec(form("tools"), current, { ...values, type: "builtin", builtinName: "noop" })).toEqual({ type: "builtin", builtin: { name: "noop" }, annotations: { readOnlyHint: true } });
  });

  it("say which line of a team's edges cannot be read, and which JSON of a tool", () => {
    expect(() => form("teams").toSpec({ strategy: "graph", members: "a", edges: "a -> b\nb to c" })).toThrow(new FieldInputError("edges", 'line 2 "b to c": write an edge as from -> to'));
    try {
      form("tools").toSpec({ type: "http", url: "https://x", inputSchema: "{nope" });
      expect.fail("bad JSON was accepted");
    } catch (err) {
      expect(err).toBeInstanceOf(FieldInputError);
      expect((err as FieldInputError).field).toBe("inputSchema");
    }
  });

  it("round-trip a Model in either shape, keeping what the form does not show of its provider block", () => {
    const newer = {
      provider: "azure",
      type: "completions",
      model: { value: "gpt-4.1" },
      config: {
        azure: {
          baseUrl: { value: "https://r.openai.azure.com" },
          apiKey: { valueFrom: { secretKeyRef: { name: "azure", key: "token" } } },
          apiVersion: { value: "2024-12-01-preview" },
          headers: [{ name: "X-Tenant", value: { value: "a" } }],
        },
      },
    };
    expect(form("models").toSpec(form("models").fromSpec(newer))).toEqual(newer);
    const older = { type: "openai", model: { value: "gpt-4.1-mini" }, config: { openai: { baseUrl: { value: "https://api.openai.com/v1" }, apiKey: { value: "k" }, properties: { temperature: { value: "0.2" } } } } };
    expect(form("models").toSpec(form("models").fromSpec(older))).toEqual(older);
    // Another provider starts from a fresh block.
    expect(form("models").toSpec({ ...form("models").fromSpec(older), type: "ollama" })).toEqual({
      type: "ollama",
      model: { value: "gpt-4.1-mini" },
      config: { ollama: { baseUrl: { value: "https://api.openai.com/v1" }, apiKey: { value: "k" } } },
    });
  });

  it("round-trip a graph team and an MCP tool through their forms", () => {
    const team = {
      members: [
        { type: "agent", name: "a" },
        { type: "team", name: "crew" },
      ],
      strategy: "graph",
      maxTurns: 4,
      graph: { edges: [{ from: "a", to: "crew" }] },
    };
    expect(form("teams").toSpec(form("teams").fromSpec(team))).toEqual(team);
    // Upstream's selector by agent survives an edit in the form.
    const picked = {
      members: [
        { type: "agent", name: "a" },
        { type: "agent", name: "b" },
      ],
      strategy: "selector",
      maxTurns: 6,
      graph: { edges: [{ from: "a", to: "b" }] },
      selector: { agent: "planner", selectorPrompt: "Pick from {{.Participants}}", enableTerminateTool: true, terminatePrompt: "Stop when done." },
    };
    expect(form("teams").toSpec(form("teams").fromSpec(picked))).toEqual(picked);
    const looping = { members: [{ type: "agent", name: "a" }], strategy: "sequential", loops: true, maxTurns: 3 };
    expect(form("teams").toSpec(form("teams").fromSpec(looping))).toEqual(looping);
    const tool = { type: "mcp", description: "reads files", mcp: { mcpServerRef: { name: "fs" }, toolName: "read_file" }, inputSchema: { type: "object" } };
    expect(form("tools").toSpec(form("tools").fromSpec(tool))).toEqual(tool);
    for (const other of [
      { type: "agent", agent: { name: "researcher" }, approval: { required: true } },
      { type: "http", http: { url: "https://x", method: "PUT", body: "{}", timeout: "5s" }, approval: { required: true, reasonRequired: true, when: "true" } },
      { type: "builtin", builtin: { name: "noop" } },
    ]) {
      expect(form("tools").toSpec(form("tools").fromSpec(other))).toEqual(other);
    }
  });
});
