import { request as httpRequest } from "node:http";
import { loadConfig } from "@ark/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { gatewayConfig } from "./config.js";
import { start, type RunningGateway } from "./server.js";
import { request } from "./test-support/http.js";
import { deadUpstreamUrl, startFakeUpstream, type FakeUpstream } from "./test-support/upstream.js";

let echo: FakeUpstream;
let other: FakeUpstream;
let gateway: RunningGateway;
let port: string;

beforeAll(async () => {
  [echo, other] = await Promise.all([startFakeUpstream("echo"), startFakeUpstream("other")]);
  const routes = `echo=${echo.url},other=${other.url},down=${await deadUpstreamUrl()}`;
  gateway = await start(loadConfig(gatewayConfig, { PORT: "0", LOG_LEVEL: "silent", GATEWAY_ROUTES: routes }));
  port = new URL(gateway.url).port;
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([echo?.close(), other?.close()]);
});

describe("host routing", () => {
  it("sends <name>.localhost to that service with the path untouched and no prefix header", async () => {
    const res = await request(`${gateway.url}/things/1?x=2`, { host: `echo.localhost:${port}` });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ upstream: "echo", method: "GET", url: "/things/1?x=2" });
    expect(res.json().headers["x-forwarded-host"]).toBe(`echo.localhost:${port}`);
    expect(res.json().headers["x-forwarded-prefix"]).toBeUndefined();
  });

  it("gives the service its own /health, not the gateway's, and routes by host before path", async () => {
    expect((await request(`${gateway.url}/health`, { host: "other.localhost" })).json()).toMatchObject({ upstream: "other", url: "/health" });
    expect((await request(`${gateway.url}/echo/x`, { host: "other.localhost" })).json()).toMatchObject({ upstream: "other", url: "/echo/x" });
  });

  it("passes request bodies of any type through unchanged", async () => {
    const body = JSON.stringify({ query: "hello" });
    const res = await request(`${gateway.url}/v1/q`, { host: "echo.localhost", method: "POST", body, headers: { "content-type": "application/json" } });
    expect(res.json()).toMatchObject({ method: "POST", url: "/v1/q", body });
    const yaml = "kind: Agent\n";
    const raw = await request(`${gateway.url}/apply`, { host: "echo.localhost", method: "PUT", body: yaml, headers: { "content-type": "application/yaml" } });
    expect(raw.json()).toMatchObject({ method: "PUT", body: yaml });
  });

  it("answers 404 naming the known services for an unknown host name", async () => {
    const res = await request(`${gateway.url}/`, { host: "nope.localhost:8080" });
    expect(res.status).toBe(404);
    expect(res.json().error).toMatchObject({ code: "NOT_FOUND" });
    expect(res.json().error.message).toContain('no service "nope"');
    expect(res.json().error.message).toContain("echo, other, down");
  });
});

describe("path-prefix routing", () => {
  it("strips /<name> and sets X-Forwarded-Prefix", async () => {
    const res = await request(`${gateway.url}/echo/docs/json?a=1`);
    expect(res.json()).toMatchObject({ upstream: "echo", url: "/docs/json?a=1" });
    expect(res.json().headers["x-forwarded-prefix"]).toBe("/echo");
    expect(res.json().headers["x-forwarded-proto"]).toBe("http");
    expect((await request(`${gateway.url}/other`)).json()).toMatchObject({ upstream: "other", url: "/" });
  });

  it("keeps the prefix in redirects to absolute paths", async () => {
    const res = await request(`${gateway.url}/echo/redirect`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/echo/elsewhere");
    expect((await request(`${gateway.url}/redirect`, { host: "echo.localhost" })).headers.location).toBe("/elsewhere");
  });

  it("answers 404 for an unknown name and lists the routes on / and /_gateway", async () => {
    const res = await request(`${gateway.url}/nope/x`);
    expect(res.status).toBe(404);
    expect(res.json().error.message).toContain('no service "nope"');
    for (const path of ["/", "/_gateway"]) {
      const index = await request(`${gateway.url}${path}`, { host: `localhost:${port}` });
      expect(index.json().routes).toContainEqual({
        name: "echo",
        upstream: echo.url,
        host: `http://echo.localhost:${port}/`,
        path: `http://localhost:${port}/echo/`,
      });
    }
  });

  it("keeps its own probes", async () => {
    expect((await request(`${gateway.url}/health`)).json()).toEqual({ status: "ok" });
  });
});

describe("malformed requests (found by e2e/fuzz-services.test.ts)", () => {
  it("forwards a plain request carrying Upgrade, Keep-Alive or Expect without them (undici refused them: a 502)", async () => {
    for (const headers of [{ upgrade: "null" }, { "keep-alive": "timeout=5" }, { expect: "100-continue" }] as Record<string, string>[]) {
      const res = await request(`${gateway.url}/echo/x`, { method: "POST", body: "{}", headers: { "content-type": "application/json", ...headers } });
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(res.json().headers).not.toHaveProperty(Object.keys(headers)[0]!);
    }
  });

  it("answers 413, not 502, when the service closes the connection on a body over its limit", async () => {
    const body = JSON.stringify({ big: "x".repeat(900_000) });
    const res = await request(`${gateway.url}/echo/limited`, { method: "PUT", body, headers: { "content-type": "application/json" } });
    expect(res.status, res.body).toBe(413);
    expect(res.json().error.message).toContain('service "echo" closed the connection before reading the whole request body');
    // The connection the rest of that body was on is closed, so the client's next request does not stall behind it.
    expect(res.headers.connection).toBe("close");
    expect((await request(`${gateway.url}/echo/after`)).status).toBe(200);
  });
});

describe("upstream down", () => {
  it("answers 502 with a JSON error naming the service", async () => {
    for (const res of [await request(`${gateway.url}/down/x`), await request(`${gateway.url}/x`, { host: "down.localhost" })]) {
      expect(res.status).toBe(502);
      expect(res.headers["content-type"]).toContain("application/json");
      expect(res.json().error.code).toBe("BAD_GATEWAY");
      expect(res.json().error.message).toContain('service "down"');
    }
  });
});

describe("server-sent events", () => {
  it("streams unbuffered: the first event arrives before the upstream ends", async () => {
    const firstChunk = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${gateway.url}/echo/events`, { headers: { accept: "text/event-stream" } }, (res) => {
        expect(res.headers["content-type"]).toContain("text/event-stream");
        res.once("data", (chunk: Buffer) => {
          resolve(chunk.toString("utf8"));
          res.on("end", () => undefined);
          res.resume();
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    });
    expect(firstChunk).toBe("data: first\n\n");
  });

  it("closes open streams when stopped instead of waiting for them", async () => {
    const slow = await startFakeUpstream("slow");
    const own = await start(loadConfig(gatewayConfig, { PORT: "0", LOG_LEVEL: "silent", SHUTDOWN_TIMEOUT_MS: "30s", GATEWAY_ROUTES: `slow=${slow.url}` }));
    const ended = new Promise<void>((resolve) => {
      httpRequest(`${own.url}/slow/events`, (res) => {
        res.once("data", () => void own.stop());
        res.on("close", resolve);
        res.resume();
      }).end();
    });
    const startedAt = Date.now();
    await ended;
    await own.stop();
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    await slow.close();
  });
});

describe("websockets", () => {
  function exchange(url: string, headers: Record<string, string> = {}): Promise<any> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.on("open", () => socket.send("ping"));
      socket.on("message", (data) => {
        resolve(JSON.parse(data.toString()));
        socket.close();
      });
      socket.on("error", reject);
    });
  }

  it("upgrades and echoes through a path prefix, with the prefix stripped and announced", async () => {
    const reply = await exchange(`${gateway.url.replace("http", "ws")}/echo/socket?x=1`);
    expect(reply).toMatchObject({ upstream: "echo", url: "/socket?x=1", echo: "ping" });
    expect(reply.headers["x-forwarded-prefix"]).toBe("/echo");
  });

  it("upgrades and echoes through a host name", async () => {
    const reply = await exchange(`${gateway.url.replace("http", "ws")}/socket`, { host: `other.localhost:${port}` });
    expect(reply).toMatchObject({ upstream: "other", url: "/socket", echo: "ping" });
  });

  it("refuses an upgrade to an unknown service with 404", async () => {
    const status = await new Promise<number | undefined>((resolve) => {
      const socket = new WebSocket(`${gateway.url.replace("http", "ws")}/nope/socket`);
      socket.on("unexpected-response", (_req, res) => resolve(res.statusCode));
      socket.on("error", () => resolve(undefined));
    });
    expect(status).toBe(404);
  });
});
