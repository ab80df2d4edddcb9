import { loadConfig } from "@ark/service-kit";
import { describe, expect, it } from "vitest";
import { gatewayConfig } from "./config.js";
import { LOCAL_ROUTES, parseRoutes } from "./routes.js";

describe("parseRoutes", () => {
  it("reads name=url lists and JSON objects alike, dropping trailing slashes", () => {
    const expected = [
      { name: "api", upstream: "http://ark-api:8000" },
      { name: "mcp", upstream: "http://ark-mcp:2627/base" },
    ];
    expect(parseRoutes("api=http://ark-api:8000/, mcp=http://ark-mcp:2627/base")).toEqual(expected);
    expect(parseRoutes('{"api":"http://ark-api:8000","mcp":"http://ark-mcp:2627/base/"}')).toEqual(expected);
  });

  it.each([
    ["api", '"api" is not name=url'],
    ["API=http://x", "route name"],
    ["api=ftp://x", "expected an http:// or https:// URL"],
    ["api=http://a,api=http://b", "given twice"],
    ["api=nope", "is not a URL"],
    ['{"api":1}', "must be a string"],
  ])("refuses %s", (raw, message) => {
    expect(() => parseRoutes(raw)).toThrow(message);
  });
});

describe("gatewayConfig", () => {
  it("defaults to port 8080 and the local stack's routes", () => {
    const config = loadConfig(gatewayConfig, {});
    expect(config.PORT).toBe(8080);
    expect(config.GATEWAY_ROUTES).toEqual(LOCAL_ROUTES);
    expect(config.GATEWAY_ROUTES.map((route) => route.name)).toEqual(["api", "a2a", "mcp", "filesys", "evaluator", "memory", "executor", "dashboard"]);
  });

  it("stops at boot naming GATEWAY_ROUTES when it is bad", () => {
    expect(() => loadConfig(gatewayConfig, { GATEWAY_ROUTES: "api" })).toThrow(/GATEWAY_ROUTES: expected name=url/);
  });
});
