import { afterEach, describe, expect, it } from "vitest";
import { createService, type Service, type ServiceConfig } from "./create-service.js";
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

describe("every service's DNS-rebinding guard (createService)", () => {
  const base: ServiceConfig = { PORT: 0, HOST: "127.0.0.1", LOG_LEVEL: "silent", BODY_LIMIT_BYTES: 1024 };
  const services: Service[] = [];
  afterEach(async () => void (await Promise.all(services.splice(0).map((s) => s.stop()))));
  const serviceWith = (config: Partial<ServiceConfig> = {}, allowedOrigins?: string[]) => {
    const service = createService({ name: "guarded", config: { ...base, ...config }, ...(allowedOrigins ? { allowedOrigins } : {}), register: (app) => void app.get("/api/secrets", async () => ({ secret: "s3cret" })) });
    services.push(service);
    return service.app;
  };

  it("refuses Host: attacker.example and Origin: http://attacker.example with 403 naming them; probes still answer", async () => {
    const app = serviceWith();
    const byHost = await app.inject({ url: "/api/secrets", headers: { host: "attacker.example:8000" } });
    expect(byHost.statusCode).toBe(403);
    expect(byHost.json().error.message).toContain("Host not allowed: attacker.example");
    expect(byHost.body).not.toContain("s3cret");
    const byOrigin = await app.inject({ url: "/api/secrets", headers: { host: "localhost:8000", origin: "http://attacker.example" } });
    expect(byOrigin.statusCode).toBe(403);
    expect(byOrigin.json().error.message).toContain("Origin not allowed: http://attacker.example");
    for (const probe of ["/health", "/ready"]) expect((await app.inject({ url: probe, headers: { host: "attacker.example" } })).statusCode).toBe(200);
    expect((await app.inject({ url: "/missing", headers: { host: "attacker.example" } })).statusCode).toBe(403);
  });

  it("answers localhost, *.localhost, loopback addresses and loopback origins", async () => {
    const app = serviceWith();
    for (const host of ["localhost:8000", "api.localhost:8080", "127.0.0.1:8000", "127.1.2.3", "[::1]:8000"]) {
      expect((await app.inject({ url: "/api/secrets", headers: { host } })).statusCode, host).toBe(200);
    }
    for (const origin of ["http://localhost:8080", "http://dashboard.localhost:8080", "http://127.0.0.1:3000", "http://[::1]:3000"]) {
      expect((await app.inject({ url: "/api/secrets", headers: { host: "localhost", origin } })).statusCode, origin).toBe(200);
    }
  });

  it("takes ALLOWED_HOSTS instead of the default, `*` switches it off, and allowedOrigins pass", async () => {
    const compose = serviceWith({ ALLOWED_HOSTS: ["ark-api", "localhost"] });
    expect((await compose.inject({ url: "/api/secrets", headers: { host: "ark-api:8000" } })).statusCode).toBe(200);
    expect((await compose.inject({ url: "/api/secrets", headers: { host: "api.localhost" } })).statusCode).toBe(403);
    const off = serviceWith({ ALLOWED_HOSTS: ["*"] });
    expect((await off.inject({ url: "/api/secrets", headers: { host: "attacker.example", origin: "http://attacker.example" } })).statusCode).toBe(200);
    const cors = serviceWith({}, ["https://dashboard.example.com"]);
    expect((await cors.inject({ url: "/api/secrets", headers: { host: "localhost", origin: "https://dashboard.example.com" } })).statusCode).toBe(200);
  });
});
