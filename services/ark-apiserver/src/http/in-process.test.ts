import https from "node:https";
import { describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, testPostgres } from "@ark/testing/vitest";
import { ensureServiceIdentity } from "../server.js";
import { startApiServerForTest, useApiServerSuite } from "../test-support/api-server.js";

const CONFIGMAPS = "/api/v1/namespaces/default/configmaps";
const AGENTS = "/apis/ark.mckinsey.com/v1alpha1/namespaces/default/agents";

describe.skipIf(!testPostgres())("the in-process API (callers in ark-apiserver's process)", () => {
  const suite = useApiServerSuite("apiserver-in-process");
  const call = (method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}) =>
    suite.server.inProcess({
      method,
      path,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
      ...(body !== undefined ? { body: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)) } : {}),
    });
  /** The same request over HTTPS, as kubectl sends it. */
  const overHttps = (method: string, path: string, token: string, body?: unknown) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const url = new URL(suite.server.url);
      const req = https.request(
        { host: url.hostname, port: url.port, path, method, ca: suite.server.caPem, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) } },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  it("stores what it creates where HTTPS clients read it, with the same answer", async () => {
    const created = await call("POST", CONFIGMAPS, suite.server.token, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "from-inside" }, data: { a: "1" } });
    expect(created.status).toBe(201);
    const object = JSON.parse(created.text) as { metadata: { uid: string; resourceVersion: string } };
    const read = await overHttps("GET", `${CONFIGMAPS}/from-inside`, suite.server.token);
    expect(read.status).toBe(200);
    expect(JSON.parse(read.text)).toMatchObject({ data: { a: "1" }, metadata: { uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion } });
    const again = await call("POST", CONFIGMAPS, suite.server.token, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "from-inside" } });
    expect({ status: again.status, reason: JSON.parse(again.text).reason }).toEqual({ status: 409, reason: "AlreadyExists" });
  });

  it("refuses what HTTPS refuses: no token, a caller RBAC does not allow, admission, a body over the limit, a watch (the API's watch serves it)", async () => {
    expect((await call("GET", CONFIGMAPS, undefined)).status).toBe(401);
    expect((await call("GET", CONFIGMAPS, "not-a-token")).status).toBe(401);

    const reader = await ensureServiceIdentity(suite.server, { namespace: "ark-system", name: "in-process-reader", clusterRules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }] });
    expect((await call("GET", CONFIGMAPS, reader.token)).status).toBe(200);
    const forbidden = await call("POST", CONFIGMAPS, reader.token, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "not-allowed" } });
    expect({ status: forbidden.status, reason: JSON.parse(forbidden.text).reason }).toEqual({ status: 403, reason: "Forbidden" });

    // Admission answers word for word as over HTTPS (the field named).
    const bad = { apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Agent", metadata: { name: "bad" }, spec: { prompt: 42 } };
    const inside = await call("POST", AGENTS, suite.server.token, bad);
    const outside = await overHttps("POST", AGENTS, suite.server.token, bad);
    expect(inside.status).toBe(422);
    expect(JSON.parse(inside.text)).toEqual(JSON.parse(outside.text));
    expect(inside.text).toContain("spec.prompt");

    const huge = await call("POST", CONFIGMAPS, suite.server.token, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "huge" }, data: { a: "x".repeat(4 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect((await call("GET", `${CONFIGMAPS}/huge`, suite.server.token)).status).toBe(404);

    const watch = await call("GET", `${CONFIGMAPS}?watch=true`, suite.server.token);
    expect(watch.status).toBe(405);
    expect(JSON.parse(watch.text).message).toContain("a watch in process goes through the API's watch");
  });

  it("counts its requests in apiserver_request_duration_seconds as HTTP requests are", async () => {
    const before = await suite.server.server.metrics.getSingleMetricAsString("apiserver_request_duration_seconds");
    const count = (text: string) => Number(/apiserver_request_duration_seconds_count\{[^}]*verb="list",group="",resource="configmaps",subresource="",code="200"\} (\d+)/.exec(text)?.[1] ?? 0);
    await call("GET", CONFIGMAPS, suite.server.token);
    const after = await suite.server.server.metrics.getSingleMetricAsString("apiserver_request_duration_seconds");
    expect(count(after)).toBe(count(before) + 1);
  });

  it("answers 503 once the server is stopping, as its closed socket refuses HTTP clients", async () => {
    const db = await createTestDatabase({ label: "apiserver-in-process-stop" });
    const home = await mkdtemp(join(tmpdir(), "ark-in-process-"));
    try {
      const server = await startApiServerForTest({ databaseUrl: db.url, arkHome: home });
      const list = () => server.inProcess({ method: "GET", path: CONFIGMAPS, headers: { Authorization: `Bearer ${server.token}` } });
      expect((await list()).status).toBe(200);
      await server.close();
      const refused = await list();
      expect({ status: refused.status, retryAfter: refused.headers["retry-after"], message: JSON.parse(refused.text).message }).toEqual({
        status: 503,
        retryAfter: "1",
        message: "ark-apiserver is stopping",
      });
    } finally {
      await db.drop();
      await rm(home, { recursive: true, force: true });
    }
  });
});
