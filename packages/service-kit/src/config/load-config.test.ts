import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { commonServiceConfig } from "./common.js";
import { envBoolean, envDuration, envList, envPort, envUrl } from "./env-types.js";
import { ConfigError, loadConfig } from "./load-config.js";

const schema = commonServiceConfig.extend({ PORT: envPort().default(8002) });

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("starts with no variables at all: every common setting has an embedded default", () => {
    expect(loadConfig(schema, {})).toEqual({
      PORT: 8002,
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      ARK_HOME: ".ark",
      SHUTDOWN_TIMEOUT_MS: 10_000,
      BODY_LIMIT_BYTES: 1_048_576,
      ARK_METRICS: true,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
      ARK_TRACE_CONTENT: "truncated",
    });
  });

  it("names the variable, the expectation and the value it got", () => {
    const err = configError(() => loadConfig(schema, { PORT: "abc" }));
    expect(err.message).toContain('PORT: expected an integer between 0 and 65535, got "abc"');
  });

  it("names every bad variable, not just the first", () => {
    const err = configError(() => loadConfig(schema, { PORT: "70000", LOG_LEVEL: "loud", OTEL_EXPORTER_OTLP_ENDPOINT: "nope" }));
    expect(err.problems).toHaveLength(3);
    expect(err.message).toContain("PORT:");
    expect(err.message).toContain('LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"');
    expect(err.message).toContain("OTEL_EXPORTER_OTLP_ENDPOINT: expected a URL starting with http:// or https://");
  });

  it("says a required variable is missing", () => {
    const err = configError(() => loadConfig(commonServiceConfig, {}));
    expect(err.message).toContain("PORT: is required");
  });

  it("treats an empty variable as unset, so the default applies", () => {
    expect(loadConfig(schema, { PORT: "", LOG_LEVEL: "" })).toMatchObject({ PORT: 8002, LOG_LEVEL: "info" });
  });

  it("hides the value of secret-looking variables", () => {
    const secrets = z.object({ OPENAI_API_KEY: z.string().startsWith("sk-") });
    const err = configError(() => loadConfig(secrets, { OPENAI_API_KEY: "hunter2-very-secret" }));
    expect(err.message).toContain("OPENAI_API_KEY:");
    expect(err.message).not.toContain("hunter2");
  });
});

describe("env value helpers", () => {
  const helpers = z.object({
    FLAG: envBoolean().default(false),
    WAIT: envDuration().default(1000),
    URL: envUrl().optional(),
    ROLES: envList().default([]),
  });

  it("reads booleans as true/false/1/0", () => {
    expect(loadConfig(helpers, { FLAG: "true" }).FLAG).toBe(true);
    expect(loadConfig(helpers, { FLAG: "1" }).FLAG).toBe(true);
    expect(loadConfig(helpers, { FLAG: "FALSE" }).FLAG).toBe(false);
    expect(loadConfig(helpers, { FLAG: "0" }).FLAG).toBe(false);
    expect(configError(() => loadConfig(helpers, { FLAG: "yes" })).message).toContain('FLAG: expected one of "true", "false", "1", "0", got "yes"');
  });

  it("reads durations in milliseconds with optional units", () => {
    expect(loadConfig(helpers, { WAIT: "250" }).WAIT).toBe(250);
    expect(loadConfig(helpers, { WAIT: "250ms" }).WAIT).toBe(250);
    expect(loadConfig(helpers, { WAIT: "10s" }).WAIT).toBe(10_000);
    expect(loadConfig(helpers, { WAIT: "1.5m" }).WAIT).toBe(90_000);
    expect(loadConfig(helpers, { WAIT: "1h" }).WAIT).toBe(3_600_000);
    expect(configError(() => loadConfig(helpers, { WAIT: "soon" })).message).toContain("WAIT: expected a duration");
  });

  it("reads URLs and lists", () => {
    expect(loadConfig(helpers, { URL: "nats://127.0.0.1:4222" }).URL).toBe("nats://127.0.0.1:4222");
    expect(configError(() => loadConfig(helpers, { URL: "not a url" })).message).toContain('URL: expected a URL, got "not a url"');
    expect(loadConfig(helpers, { ROLES: " reconciler, worker ,," }).ROLES).toEqual(["reconciler", "worker"]);
  });
});

describe("NAME_FILE", () => {
  const secretSchema = schema.extend({ MEMORY_AUTH_SECRET: z.string().min(32) });

  it("reads a credential from the file NAME_FILE names (compose volumes, Docker secrets), the trailing newline dropped", () => {
    const dir = mkdtempSync(join(tmpdir(), "ark-config-file-"));
    const file = join(dir, "secret");
    writeFileSync(file, `${"s".repeat(40)}\n`);
    expect(loadConfig(secretSchema, { MEMORY_AUTH_SECRET_FILE: file }).MEMORY_AUTH_SECRET).toBe("s".repeat(40));
    // The variable itself wins over its file.
    expect(loadConfig(secretSchema, { MEMORY_AUTH_SECRET: "v".repeat(32), MEMORY_AUTH_SECRET_FILE: file }).MEMORY_AUTH_SECRET).toBe("v".repeat(32));
    rmSync(dir, { recursive: true, force: true });
  });

  it("names the _FILE variable when its file cannot be read", () => {
    const error = configError(() => loadConfig(secretSchema, { MEMORY_AUTH_SECRET_FILE: "/nonexistent/secret" }));
    expect(error.problems).toEqual(["MEMORY_AUTH_SECRET_FILE: cannot read /nonexistent/secret: ENOENT"]);
  });
});
