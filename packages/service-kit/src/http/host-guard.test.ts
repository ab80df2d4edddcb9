import { describe, expect, it } from "vitest";
import { createHostGuard } from "./host-guard.js";

describe("createHostGuard", () => {
  const guard = createHostGuard({ serviceName: "ark-mcp", allowedHosts: ["mcp.example.com", "*.corp.example"], allowedOrigins: ["https://app.example.com/"] });

  it("lets loopback, IP literals, cluster names, the service's name and configured hosts through", () => {
    for (const host of ["localhost:2627", "127.0.0.1:2627", "[::1]:2627", "10.0.0.7", "mcp.localhost", "ark-mcp", "ARK-MCP:80", "ark-mcp.ark.svc.cluster.local:80", "mcp.example.com", "a.corp.example"]) {
      expect(guard(host, undefined), host).toBeUndefined();
    }
  });

  it("refuses other names (DNS rebinding), another service's name and a missing Host", () => {
    expect(guard("evil.example", undefined)).toBe("Host not allowed: evil.example");
    expect(guard("filesys-mcp", undefined)).toBe("Host not allowed: filesys-mcp");
    expect(guard("localhost.evil.example", undefined)).toBe("Host not allowed: localhost.evil.example");
    expect(guard(undefined, undefined)).toBe("missing or invalid Host header");
  });

  it("accepts loopback and configured origins only", () => {
    expect(guard("localhost", "http://localhost:6274")).toBeUndefined();
    expect(guard("localhost", "http://127.0.0.1:3000")).toBeUndefined();
    expect(guard("localhost", "https://app.example.com")).toBeUndefined();
    expect(guard("localhost", "https://evil.example")).toBe("Origin not allowed: https://evil.example");
    expect(guard("localhost", "null")).toBe("Origin not allowed: null");
    expect(createHostGuard({ serviceName: "x", allowedOrigins: ["*"] })("localhost", "https://anything.example")).toBeUndefined();
  });
});
