import { ConfigError, loadConfig } from "@ark/service-kit";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryConfig } from "./config.js";
import { start } from "./server.js";
import { memoryServiceFor, testConfig } from "./test-support/memory-service.js";

describe("config", () => {
  it("defaults to port 8002 and a 10 MB body limit", () => {
    const config = loadConfig(memoryConfig, { MEMORY_AUTH_SECRET: "0123456789abcdef0123456789abcdef" });
    expect(config).toMatchObject({ PORT: 8002, MAX_BODY_BYTES: 10 * 1024 * 1024 });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("stops on a bad TABLE_NAME or DATABASE_URL, naming the variable", () => {
    expect(() => loadConfig(memoryConfig, { TABLE_NAME: "messages; drop" })).toThrow(/TABLE_NAME: must match \^\[a-zA-Z0-9_\]\+\$/);
    expect(() => loadConfig(memoryConfig, { DATABASE_URL: "http://db" })).toThrow(ConfigError);
    expect(loadConfig(memoryConfig, { TABLE_NAME: "messages", MEMORY_AUTH: "none" }).TABLE_NAME).toBe("messages");
  });

  it("will not start open: MEMORY_AUTH_SECRET is required unless MEMORY_AUTH=none is set", () => {
    expect(() => loadConfig(memoryConfig, {})).toThrow(/MEMORY_AUTH_SECRET/);
    expect(() => loadConfig(memoryConfig, { MEMORY_AUTH_SECRET: "short" })).toThrow(/MEMORY_AUTH_SECRET/);
    expect(loadConfig(memoryConfig, { MEMORY_AUTH: "none" }).MEMORY_AUTH).toBe("none");
  });
});

describe.skipIf(!testPostgres())("postgres-memory service", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ label: "memory-server" });
  });
  afterAll(() => db?.drop());

  it("keeps messages across a restart on the same database", async () => {
    const message = { role: "user", content: "remember me" };
    const first = await start(testConfig(db.url));
    expect((await fetch(`${first.url}/ready`)).status).toBe(200);
    const put = await fetch(`${first.url}/messages/restart-1`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [message] }),
    });
    expect(put.status).toBe(200);
    await first.stop();

    const second = await start(testConfig(db.url));
    try {
      expect(await (await fetch(`${second.url}/messages/restart-1`)).json()).toEqual({ messages: [message] });
    } finally {
      await second.stop();
    }
  });

  it("fails /ready once the database is gone, and /health stays up", async () => {
    const doomed = await createTestDatabase({ label: "memory-ready" });
    const service = await memoryServiceFor(doomed.url);
    try {
      expect((await service.app.inject({ url: "/ready" })).statusCode).toBe(200);
      await doomed.drop();
      const ready = await service.app.inject({ url: "/ready" });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks.database.status).toBe("failed");
      expect((await service.app.inject({ url: "/health" })).statusCode).toBe(200);
    } finally {
      await service.stop();
      await doomed.drop();
    }
  });
});
