import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { Readiness } from "./readiness.js";
import { registerHealthRoutes } from "./routes.js";

describe("/ready while shutting down", () => {
  it("flips to 503 shutting_down, even though every check passes, while /health stays ok", async () => {
    const app = Fastify();
    const readiness = new Readiness(1000);
    readiness.add("database", () => undefined);
    registerHealthRoutes(app, readiness);
    expect((await app.inject({ url: "/ready" })).statusCode).toBe(200);
    readiness.markShuttingDown();
    const res = await app.inject({ url: "/ready" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: "shutting_down", checks: {} });
    expect((await app.inject({ url: "/health" })).statusCode).toBe(200);
    await app.close();
  });

  it("refuses two checks with the same name", () => {
    const readiness = new Readiness(1000);
    readiness.add("database", () => undefined);
    expect(() => readiness.add("database", () => undefined)).toThrow('readiness check "database" is already registered');
  });
});
