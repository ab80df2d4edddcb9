import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ArkError } from "../errors/ark-error.js";
import { errorCodes, httpStatusOf } from "../errors/codes.js";
import { createService, listen, type Service, type ServiceConfig } from "./create-service.js";

const config: ServiceConfig = { PORT: 0, HOST: "127.0.0.1", LOG_LEVEL: "silent", BODY_LIMIT_BYTES: 1024 };
const services: Service[] = [];

function testService(register: Parameters<typeof createService>[0]["register"], extra: Partial<Parameters<typeof createService>[0]> = {}) {
  const service = createService({ name: "test-svc", config, register, ...extra });
  services.push(service);
  return service;
}

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

describe("createService probes", () => {
  it("answers /health with ok", async () => {
    const { app } = testService(undefined);
    const res = await app.inject({ url: "/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
  });

  it("answers /ready 200 with per-check results when every check passes", async () => {
    const service = testService(undefined, { readiness: { checks: { database: () => undefined } } });
    service.addReadinessCheck("bus", async () => "connected");
    const res = await service.app.inject({ url: "/ready" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ready", checks: { database: { status: "ok" }, bus: { status: "ok" } } });
  });

  it("answers /ready 503 naming the failing check and its error", async () => {
    const service = testService(undefined);
    service.addReadinessCheck("database", () => undefined);
    service.addReadinessCheck("bus", async () => {
      throw new Error("nats: connection refused");
    });
    const res = await service.app.inject({ url: "/ready" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: "not_ready",
      checks: { database: { status: "ok" }, bus: { status: "failed", error: "nats: connection refused" } },
    });
  });

  it("fails a check that does not answer in time and aborts its signal", async () => {
    let aborted = false;
    const service = testService(undefined, { readiness: { timeoutMs: 20 } });
    service.addReadinessCheck("stuck", (signal) => new Promise(() => signal.addEventListener("abort", () => (aborted = true))));
    const res = await service.app.inject({ url: "/ready" });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks.stuck).toEqual({ status: "failed", error: "timed out after 20 ms" });
    expect(aborted).toBe(true);
  });

  it("exposes the request duration histogram by route after a request", async () => {
    const { app } = testService((app) => {
      app.get("/things/:id", async () => ({ ok: true }));
    });
    await app.inject({ url: "/things/42" });
    const res = await app.inject({ url: "/metrics" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/plain");
    expect(res.body).toMatch(/http_request_duration_seconds_count\{[^}]*method="GET"[^}]*route="\/things\/:id"[^}]*status_code="200"[^}]*\} 1/);
    expect(res.body).toContain('service="test-svc"');
    expect(res.body).toContain("process_cpu_user_seconds_total");
  });

  it("serves no /metrics and records nothing with ARK_METRICS=false", async () => {
    const service = createService({ name: "quiet-svc", config: { ...config, ARK_METRICS: false }, register: (app) => void app.get("/a", async () => "a") });
    services.push(service);
    await service.app.inject({ url: "/a" });
    expect(service.metricsEnabled).toBe(false);
    expect((await service.app.inject({ url: "/metrics" })).statusCode).toBe(404);
    expect((await service.metrics.metrics()).trim()).toBe("");
  });

  it("keeps metrics apart for two services in one process", async () => {
    const a = testService((app) => void app.get("/a", async () => "a"), { name: "svc-a" });
    const b = testService(undefined, { name: "svc-b" });
    await a.app.inject({ url: "/a" });
    const metricsB = (await b.app.inject({ url: "/metrics" })).body;
    expect(metricsB).not.toContain('route="/a"');
    expect(metricsB).toContain('service="svc-b"');
  });

  it("echoes a caller's x-request-id and makes one up otherwise", async () => {
    const { app } = testService(undefined);
    expect((await app.inject({ url: "/health", headers: { "x-request-id": "abc-123" } })).headers["x-request-id"]).toBe("abc-123");
    expect((await app.inject({ url: "/health" })).headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("createService errors", () => {
  it.each(errorCodes)("maps ArkError %s to its HTTP status and the error body", async (code) => {
    const { app } = testService((app) => {
      app.get("/fail", async () => {
        throw new ArkError(code, 'agent default/weather: model "gpt" not found', { details: { kind: "Agent" } });
      });
    });
    const res = await app.inject({ url: "/fail" });
    expect(res.statusCode).toBe(httpStatusOf(code));
    const message = code === "INTERNAL" ? "internal error" : 'agent default/weather: model "gpt" not found';
    expect(res.json()).toEqual({ error: { code, message, details: { kind: "Agent" } } });
  });

  it("turns a zod validation failure into 400 naming the field", async () => {
    const { app } = testService((app) => {
      app.post("/agents", { schema: { body: z.object({ name: z.string().min(3), spec: z.object({ model: z.string() }) }) } }, async (req) => ({
        name: req.body.name,
      }));
    });
    const res = await app.inject({ method: "POST", url: "/agents", payload: { name: "ab", spec: {} } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe("INVALID_INPUT");
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        { field: "body.name", message: expect.stringContaining(">=3") },
        { field: "body.spec.model", message: expect.any(String) },
      ]),
    );
    expect(body.error.message).toContain("body.name");
  });

  it("answers 413 in the error body when the body is over the limit", async () => {
    const { app } = testService((app) => void app.post("/echo", async (req) => req.body));
    const res = await app.inject({ method: "POST", url: "/echo", payload: { text: "x".repeat(2048) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers 400 in the error body for malformed JSON", async () => {
    const { app } = testService((app) => void app.post("/echo", async (req) => req.body));
    const res = await app.inject({ method: "POST", url: "/echo", payload: "{nope", headers: { "content-type": "application/json" } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("INVALID_INPUT");
  });

  it("answers 415 in the error body for a content type no parser accepts", async () => {
    const { app } = testService((app) => void app.post("/echo", async (req) => req.body));
    const res = await app.inject({ method: "POST", url: "/echo", payload: "x", headers: { "content-type": "application/vnd.kubernetes.protobuf" } });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers 404 in the error body for an unknown route", async () => {
    const { app } = testService(undefined);
    const res = await app.inject({ url: "/nowhere?x=1" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: "NOT_FOUND", message: "no route for GET /nowhere" } });
  });

  it("answers 500 with a generic message for an unknown error, without leaking it", async () => {
    const { app } = testService((app) => {
      app.get("/boom", async () => {
        throw new Error("password=hunter2 at db.internal");
      });
    });
    const res = await app.inject({ url: "/boom" });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: "INTERNAL", message: "internal error" } });
    expect(res.body).not.toContain("hunter2");
  });
});

describe("createService lifecycle", () => {
  it("starts on a real port, can start several services in one process, and stops running hooks in reverse", async () => {
    const order: string[] = [];
    const a = createService({ name: "a", config, register: (app) => void app.get("/hi", async () => ({ hi: "a" })) });
    const b = createService({ name: "b", config });
    a.onShutdown(() => void order.push("first registered"));
    a.onShutdown(async () => void order.push("last registered"));
    const [{ url: urlA }, { url: urlB }] = await Promise.all([a.start(), b.start()]);
    expect(urlA).not.toBe(urlB);
    expect(await (await fetch(`${urlA}/hi`)).json()).toEqual({ hi: "a" });
    expect((await fetch(`${urlB}/health`)).status).toBe(200);
    await Promise.all([a.stop(), b.stop()]);
    expect(order).toEqual(["last registered", "first registered"]);
    await expect(fetch(`${urlA}/health`)).rejects.toThrow();
  });

  it("lets an in-flight request complete when stopped", async () => {
    let release!: () => void;
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const service = createService({
      name: "slow",
      config,
      register: (app) => {
        app.get("/slow", () => {
          started();
          return new Promise((resolve) => (release = () => resolve({ done: true })));
        });
      },
    });
    const { url } = await service.start();
    const slow = fetch(`${url}/slow`);
    await inFlight;
    const stopped = service.stop();
    release();
    expect(await (await slow).json()).toEqual({ done: true });
    await stopped;
  });
});

describe("listen", () => {
  it("answers with the service's URL, and stops a service that cannot listen before throwing", async () => {
    const first = testService(undefined);
    const { url, stop } = await listen(first);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/health`)).status).toBe(200);

    const taken = testService(undefined, { config: { ...config, PORT: Number(new URL(url).port) } });
    let released = false;
    taken.onShutdown(() => {
      released = true;
    });
    await expect(listen(taken)).rejects.toMatchObject({ code: "EADDRINUSE" });
    expect(released).toBe(true);
    await stop();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});

describe("createService request bodies", () => {
  const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

  it("refuses a JSON body nested deeper than 100 levels with 400 naming where, before the handler (JSON.stringify overflowed: 500)", async () => {
    const bigLimit = { ...config, BODY_LIMIT_BYTES: 1_048_576 };
    let handled = 0;
    const service = createService({
      name: "test-svc",
      config: bigLimit,
      register: (app) => {
        app.post("/echo", async (request) => {
          handled++;
          return JSON.stringify(request.body).length;
        });
      },
    });
    services.push(service);
    const refused = await service.app.inject({ method: "POST", url: "/echo", payload: deep(20_000), headers: { "content-type": "application/json" } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: "INVALID_INPUT", details: [{ field: "body.a.a.a.a.a.….a", message: "nests deeper than 100 levels" }] });
    expect(handled).toBe(0);
    const accepted = await service.app.inject({ method: "POST", url: "/echo", payload: deep(99), headers: { "content-type": "application/json" } });
    expect(accepted.statusCode).toBe(200);
  });
});
