import { describe, expect, it } from "vitest";
import { kindPage } from "../kinds.js";
import { FieldInputError, fieldForPath, KIND_FORMS, NAME_FIELD } from "./kind-forms.js";
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
    expect(spec).toEqual({ type: "openai", model: { value: "gpt-4.1-mini" }, config: { openai: { baseUrl: { value: "https://api.openai.com/v1" }, apiKey: { valueFrom: { secretKeyRef: { name: "openai", key: "token" } } } } } });
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

  it("round-trip a graph team and an MCP tool through their forms", () => {
    const team = { members: [{ type: "agent", name: "a" }, { type: "team", name: "crew" }], strategy: "graph", maxTurns: 4, graph: { edges: [{ from: "a", to: "crew" }] } };
    expect(form("teams").toSpec(form("teams").fromSpec(team))).toEqual(team);
    const tool = { type: "mcp", description: "reads files", mcp: { mcpServerRef: { name: "fs" }, toolName: "read_file" }, inputSchema: { type: "object" } };
    expect(form("tools").toSpec(form("tools").fromSpec(tool))).toEqual(tool);
  });
});
