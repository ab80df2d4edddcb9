import { afterEach, describe, expect, it, vi } from "vitest";
import { testPostgres } from "../vitest/index.js";
import { dockerAvailable } from "./docker.js";
import { startTestServices } from "./test-services.js";

const postgres = testPostgres();
const docker = await dockerAvailable();

afterEach(() => {
  vi.unstubAllEnvs();
});

// startTestServices is what the global setup runs; these pin how it treats missing and broken services.
describe.skipIf(!postgres || postgres.source !== "env")("startTestServices", () => {
  it("fails when NATS_URL is set but nothing answers there", async () => {
    vi.stubEnv("NATS_URL", "nats://127.0.0.1:1");
    vi.stubEnv("REQUIRE_SERVICES", "");
    await expect(startTestServices()).rejects.toThrow(/NATS_URL is set but nats:\/\/127\.0\.0\.1:1/);
  });

  it("fails when DATABASE_URL is set but nothing answers there", async () => {
    vi.stubEnv("DATABASE_URL", "postgres://root:secret@127.0.0.1:1/test");
    vi.stubEnv("NATS_URL", "");
    vi.stubEnv("REQUIRE_SERVICES", "");
    const error = (await startTestServices().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/DATABASE_URL is set but PostgreSQL at postgres:\/\/root:\*\*\*@127\.0\.0\.1:1\/test/);
    expect(error.message).not.toContain("secret");
  });

  it.skipIf(docker.available)("skips a missing NATS without REQUIRE_SERVICES, fails with it", async () => {
    vi.stubEnv("NATS_URL", "");
    vi.stubEnv("REQUIRE_SERVICES", "");
    const services = await startTestServices();
    try {
      expect(services.context.nats).toBeNull();
      expect(services.context.postgres?.source).toBe("env");
      expect(services.summary).toMatch(/nats: unavailable, suites that need it are skipped: NATS_URL is unset/);
    } finally {
      await services.stop();
    }
    vi.stubEnv("REQUIRE_SERVICES", "1");
    await expect(startTestServices()).rejects.toThrow(/REQUIRE_SERVICES is set and a service is missing:\n {2}NATS: /);
  });
});
