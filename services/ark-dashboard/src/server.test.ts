import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@ark/service-kit";
import { startRecordingServer, type RecordingServer } from "@ark/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboard, dashboardConfig, start, type RunningDashboard } from "./server.js";

describe("the dashboard server", () => {
  let dir: string;
  let api: RecordingServer;
  let dashboard: RunningDashboard;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ark-dashboard-server-"));
    await mkdir(join(dir, "assets"));
    await writeFile(join(dir, "index.html"), "<!doctype html><title>ARK</title>");
    await writeFile(join(dir, "assets", "app-1234.js"), "console.log(1)");
    api = await startRecordingServer((request, res) => {
      if (request.url === "/v1/events-stream") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write("event: a\ndata: 1\n\n");
        setTimeout(() => res.end("event: b\ndata: 2\n\n"), 100);
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ url: request.url }));
    });
    dashboard = await start(loadConfig(dashboardConfig, { PORT: "0", LOG_LEVEL: "silent", ARK_API_URL: api.url, DASHBOARD_STATIC_DIR: dir }));
  });
  afterAll(async () => {
    await dashboard?.stop();
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("forwards /api/* to ark-api without the prefix, with the caller's Authorization but not its cookies or Origin", async () => {
    const response = await fetch(`${dashboard.url}/api/v1/namespaces/default/agents?limit=5`, {
      method: "POST",
      headers: { authorization: "Bearer ark_key", cookie: "session=1", origin: dashboard.url, "content-type": "application/json" },
      body: JSON.stringify({ name: "a" }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ url: "/v1/namespaces/default/agents?limit=5" });
    const seen = api.requests.at(-1)!;
    expect(seen.method).toBe("POST");
    expect(seen.body).toBe('{"name":"a"}');
    expect(seen.headers.authorization).toBe("Bearer ark_key");
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers.origin).toBeUndefined();
  });

  it("passes event streams through as they come", async () => {
    const response = await fetch(`${dashboard.url}/api/v1/events-stream`);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const first = await reader.read();
    expect(first.value).toBe("event: a\ndata: 1\n\n");
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += chunk.value;
    expect(rest).toBe("event: b\ndata: 2\n\n");
  });

  it("answers every page of the app with index.html (no-cache), assets as files, a missing asset with 404", async () => {
    for (const path of ["/", "/agents/helper", "/chat?target=agent/a"]) {
      const page = await fetch(`${dashboard.url}${path}`);
      expect(page.status, path).toBe(200);
      expect(await page.text()).toContain("<title>ARK</title>");
      expect(page.headers.get("cache-control")).toBe("no-cache");
      expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
    const asset = await fetch(`${dashboard.url}/assets/app-1234.js`);
    expect(await asset.text()).toBe("console.log(1)");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    const missing = await fetch(`${dashboard.url}/assets/gone.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain("/assets/gone.js");
  });

  it("refuses a Host that is not local (DNS rebinding), as every service", async () => {
    const refused = await dashboard.service.app.inject({ method: "GET", url: "/agents", headers: { host: "evil.example" } });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain("<title>ARK</title>");
  });

  it("is ready while ark-api answers, and says 502 with the reason when it does not", async () => {
    expect((await fetch(`${dashboard.url}/ready`)).status).toBe(200);
    const down = createDashboard(loadConfig(dashboardConfig, { PORT: "0", LOG_LEVEL: "silent", ARK_API_URL: "http://127.0.0.1:9", DASHBOARD_STATIC_DIR: dir }));
    try {
      const { url } = await down.start();
      expect((await fetch(`${url}/ready`)).status).toBe(503);
      const response = await fetch(`${url}/api/v1/namespaces`);
      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain("ark-api at http://127.0.0.1:9 did not answer");
    } finally {
      await down.stop();
    }
  });

  it("will not start without the built app, and says how to build it", async () => {
    const empty = createDashboard(loadConfig(dashboardConfig, { PORT: "0", LOG_LEVEL: "silent", DASHBOARD_STATIC_DIR: join(dir, "nothing") }));
    await expect(empty.start()).rejects.toThrow(/not built: .*index.html is missing \(run `pnpm --filter @ark\/ark-dashboard build`/);
    await empty.stop();
  });

  it("serves /config.json: no OIDC unless configured; with OIDC the issuer and client id, and the issuer's origin in connect-src", async () => {
    const plain = await fetch(`${dashboard.url}/config.json`);
    expect(await plain.json()).toEqual({ oidc: null });
    expect(plain.headers.get("content-security-policy")).toContain("connect-src 'self';");
    const oidc = createDashboard(
      loadConfig(dashboardConfig, {
        PORT: "0",
        LOG_LEVEL: "silent",
        ARK_API_URL: api.url,
        DASHBOARD_STATIC_DIR: dir,
        OIDC_ISSUER: "https://login.example.com/realms/ark",
        OIDC_CLIENT_ID: "ark-dashboard",
        OIDC_TOKEN: "id",
      }),
    );
    try {
      const { url } = await oidc.start();
      const response = await fetch(`${url}/config.json`);
      expect(await response.json()).toEqual({ oidc: { issuer: "https://login.example.com/realms/ark", clientId: "ark-dashboard", scope: "openid profile email", token: "id" } });
      expect(response.headers.get("content-security-policy")).toContain("connect-src 'self' https://login.example.com;");
    } finally {
      await oidc.stop();
    }
  });

  it("refuses an OIDC issuer without a client id, naming the missing variable", () => {
    expect(() => loadConfig(dashboardConfig, { OIDC_ISSUER: "https://login.example.com" })).toThrow(/OIDC_CLIENT_ID/);
  });
});
