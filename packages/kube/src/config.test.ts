import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CoreV1Api, Watch } from "@kubernetes/client-node";
import { kubeConfigForUrl } from "./test-support/fake-api.js";
import { afterEach, describe, expect, it } from "vitest";
import { withKeepAlive } from "./config.js";

/** An API over plain HTTP that counts connections; watches stay open until the test ends. */
async function fakeApi() {
  let connections = 0;
  const open = new Set<{ end(): void }>();
  const server: Server = createServer((req, res) => {
    if (req.url?.includes("watch=true")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(`${JSON.stringify({ type: "ADDED", object: { metadata: { name: "a", namespace: "ns" } } })}\n`);
      open.add(res);
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "ns" } }));
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const kc = kubeConfigForUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return {
    kc,
    connections: () => connections,
    async close() {
      for (const res of open) res.end();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("withKeepAlive", () => {
  let api: Awaited<ReturnType<typeof fakeApi>> | undefined;
  afterEach(async () => api?.close());

  it("reuses one connection for successive calls (client-node alone opens one per call)", async () => {
    api = await fakeApi();
    const core = withKeepAlive(api.kc).makeApiClient(CoreV1Api);
    for (let i = 0; i < 5; i++) await core.readNamespace({ name: "ns" });
    expect(api.connections()).toBe(1);
  });

  it("gives watches their own connections, so a call never waits behind an open watch", async () => {
    api = await fakeApi();
    const kc = withKeepAlive(api.kc, { maxSockets: 1 });
    const core = kc.makeApiClient(CoreV1Api);
    await core.readNamespace({ name: "ns" });
    const seen: string[] = [];
    const watch = await new Watch(kc).watch(
      "/api/v1/namespaces/ns/configmaps",
      {},
      (type) => seen.push(type),
      () => undefined,
    );
    await expect(core.readNamespace({ name: "ns" })).resolves.toMatchObject({ metadata: { name: "ns" } });
    expect(seen).toEqual(["ADDED"]);
    watch.abort();
  });

  it("is idempotent", async () => {
    api = await fakeApi();
    const kc = withKeepAlive(api.kc);
    expect(withKeepAlive(kc)).toBe(kc);
    const core = kc.makeApiClient(CoreV1Api);
    await core.readNamespace({ name: "ns" });
    await core.readNamespace({ name: "ns" });
    expect(api.connections()).toBe(1);
  });
});
