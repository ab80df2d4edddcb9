import { describe, expect, it } from "vitest";
import { applyJq, withFunctions } from "./functions.js";
import type { Tool } from "./tool.js";

const geocoding = JSON.stringify({
  results: [
    { name: "Chicago", latitude: 41.85, longitude: -87.65, country: "US" },
    { name: "Chicago Heights", latitude: 41.5, longitude: -87.6 },
  ],
});

describe("jq functions (docs/upstream-compat.md §7.5)", () => {
  it("runs real jq: pipes, object shorthand, one result as JSON", async () => {
    expect(await applyJq(geocoding, ".results[0] | {latitude, longitude}")).toBe('{"latitude":41.85,"longitude":-87.65}');
    expect(await applyJq(geocoding, ".results[0].name")).toBe('"Chicago"');
    expect(await applyJq(geocoding, '[.results[] | select(.latitude > 41.6) | .name] | join(", ")')).toBe('"Chicago"');
  });

  it("gives several results as an array, none as empty, and leaves non-JSON content alone", async () => {
    expect(await applyJq(geocoding, ".results[].name")).toBe('["Chicago","Chicago Heights"]');
    expect(await applyJq(geocoding, "empty")).toBe("");
    expect(await applyJq("Error: not json", ".results")).toBe("Error: not json");
    expect(await applyJq(geocoding, "  ")).toBe(geocoding);
  });

  it("tells a parse error from a runtime error", async () => {
    await expect(applyJq(geocoding, ".results[")).rejects.toThrow(/^failed to parse jq expression '.results\[': jq: error: syntax error/);
    await expect(applyJq(geocoding, ".results | .name")).rejects.toThrow(/^jq query execution error: .*Cannot index array with string "name"/);
  });

  it("filters a tool's successful result through the jq functions in order; other names do nothing", async () => {
    const tool: Tool = {
      kind: "http",
      definition: { type: "function", function: { name: "geo", parameters: {} } },
      execute: async () => ({ content: geocoding }),
    };
    const filtered = withFunctions(tool, [
      { name: "jq", value: ".results[0]" },
      { name: "upper", value: "x" },
      { name: "jq", value: ".name" },
    ]);
    expect(await filtered.execute("{}", { toolCallId: "c", agent: "default/a" })).toEqual({ content: '"Chicago"' });
    expect(withFunctions(tool, [])).toBe(tool);
  });
});
