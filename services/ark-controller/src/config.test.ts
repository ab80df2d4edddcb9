import { ConfigError, loadConfig } from "@ark/service-kit";
import { describe, expect, it } from "vitest";
import { controllerConfig } from "./config.js";
import { createControllerService } from "./server.js";

describe("controller config", () => {
  it("needs nothing to start embedded: both roles, in-process bus, leader election on", () => {
    const config = loadConfig(controllerConfig, {});
    expect(config).toMatchObject({ PORT: 8081, ARK_CONTROLLER_ROLES: ["reconciler", "worker"], LEADER_ELECTION: true, MAX_DELIVER: 3, WORKER_CONCURRENCY: "auto" });
    expect(loadConfig(controllerConfig, { WORKER_CONCURRENCY: "120" }).WORKER_CONCURRENCY).toBe(120);
    expect(config.NATS_URL).toBeUndefined();
  });

  it("names each bad variable", () => {
    const error = (() => {
      try {
        loadConfig(controllerConfig, { ARK_CONTROLLER_ROLES: "reconciler,janitor", WORKER_CONCURRENCY: "0", NATS_URL: "http://x" });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toMatch(/ARK_CONTROLLER_ROLES/);
    expect(error?.message).toMatch(/WORKER_CONCURRENCY: expected auto or an integer between 1 and 10000, got "0"/);
    expect(error?.message).toMatch(/NATS_URL/);
  });

  it("names a bad egress entry (ARK_EGRESS_ALLOW, ARK_EGRESS_DENY)", () => {
    expect(loadConfig(controllerConfig, { ARK_EGRESS_ALLOW: "filesys-mcp:9090, 10.0.0.0/8" }).ARK_EGRESS_ALLOW).toEqual(["filesys-mcp:9090", "10.0.0.0/8"]);
    expect(() => loadConfig(controllerConfig, { ARK_EGRESS_ALLOW: "10.0.0.0/40" })).toThrow(/ARK_EGRESS_ALLOW.*egress entry "10\.0\.0\.0\/40": bad prefix length/s);
    expect(() => loadConfig(controllerConfig, { ARK_EGRESS_DENY: "http://x/" })).toThrow(/ARK_EGRESS_DENY/);
  });

  it("refuses a single role on the in-process bus, which only reaches this process", () => {
    const config = loadConfig(controllerConfig, { ARK_CONTROLLER_ROLES: "worker" });
    expect(() => createControllerService(config)).toThrow(/without NATS_URL the in-process bus needs both roles/);
  });
});
