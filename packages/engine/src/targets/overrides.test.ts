import { describe, expect, it } from "vitest";
import { resolveOverrides, withOverrideHeaders, type HeaderOverride } from "./overrides.js";

describe("overrides", () => {
  const overrides: HeaderOverride[] = [
    { resourceType: "model", headers: { "X-Tenant": "agent", "X-Agent": "a1" } },
    { resourceType: "model", labelSelector: { matchLabels: { gateway: "public" } }, headers: { "x-tenant": "query", Authorization: "Bearer override" } },
    { resourceType: "mcpserver", headers: { "X-Mcp": "yes" } },
  ];

  it("applies the overrides of the resource type whose selector matches, a later one winning, names compared in any case", () => {
    const headers = withOverrideHeaders({ authorization: "Bearer model" }, overrides, "model", { gateway: "public" });
    expect(headers).toEqual({ "X-Agent": "a1", "x-tenant": "query", Authorization: "Bearer override" });
  });

  it("leaves a resource the selectors do not select as it was", () => {
    expect(withOverrideHeaders({ authorization: "Bearer model" }, overrides.slice(1, 2), "model", { gateway: "private" })).toEqual({ authorization: "Bearer model" });
    expect(withOverrideHeaders(undefined, overrides, "mcpserver", undefined)).toEqual({ "X-Mcp": "yes" });
  });

  it("reads header values and names the failing one", async () => {
    const read = async () => {
      throw new Error('secret "absent" not found');
    };
    await expect(resolveOverrides([{ resourceType: "model", headers: [{ name: "X-Key", value: { valueFrom: { secretKeyRef: { name: "absent", key: "k" } } } }] }], "query ns/q: spec.overrides", { read })).rejects.toThrow(
      'query ns/q: spec.overrides[0].headers[0] (X-Key): secret "absent" not found',
    );
    const resolved = await resolveOverrides([{ resourceType: "mcpserver", headers: [{ name: "X-User", value: { valueFrom: { queryParameterRef: { name: "user" } } } }] }], "at", {
      read,
      queryParameters: { user: "ada" },
    });
    expect(resolved).toEqual([{ resourceType: "mcpserver", headers: { "X-User": "ada" } }]);
  });
});
