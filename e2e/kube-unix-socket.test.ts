import { testPostgres } from "@ark/testing/vitest";
import { agentKind } from "@ark/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiStatusCode, createArkClient, createInformerCache, impersonating, unixSocketKubeConfig, type Agent } from "@ark/kube";
import { startTestApiServer, type TestApiServer } from "./support/test-api-server.js";

describe.skipIf(!testPostgres())("a client on ark-apiserver's Unix socket", () => {
  let server: TestApiServer;
  beforeAll(async () => {
    server = await startTestApiServer("kube-socket", { socket: true });
  });
  afterAll(async () => server?.stop());

  it("creates, reads and watches through the socket, seeing what clients on the TLS port write", async () => {
    const socket = server.socket!;
    const kc = unixSocketKubeConfig({ socketPath: socket.path, token: socket.token });
    expect(kc.getCurrentCluster()?.server).toMatch(/^http:/);
    const overSocket = createArkClient(kc);
    const overTls = createArkClient(server.kc);

    const informer = createInformerCache<Agent>(kc, agentKind, { namespace: "default" });
    await informer.start();
    try {
      await overSocket.agents.create({ metadata: { name: "via-socket", namespace: "default" }, spec: { prompt: "socket" } });
      expect((await overTls.agents.get("default", "via-socket"))?.spec.prompt).toBe("socket");
      await overTls.agents.create({ metadata: { name: "via-tls", namespace: "default" }, spec: { prompt: "tls" } });
      expect((await overSocket.agents.get("default", "via-tls"))?.spec.prompt).toBe("tls");
      // The watch runs over the socket too.
      await expect.poll(() => informer.get("default", "via-tls"), { timeout: 15_000, interval: 25 }).toBeDefined();
      expect(informer.get("default", "via-socket")?.spec.prompt).toBe("socket");
    } finally {
      await informer.stop();
    }
  });

  it("calls in process when connected to the apiserver's in-process API (same answers, same token check), and still watches over the socket", async () => {
    const socket = server.socket!;
    const calls: string[] = [];
    const kc = unixSocketKubeConfig({ socketPath: socket.path, token: socket.token, inProcess: (request) => (calls.push(request.method), server.inProcess(request)) });
    const inProcess = createArkClient(kc);
    const overTls = createArkClient(server.kc);
    const informer = createInformerCache<Agent>(kc, agentKind, { namespace: "default" });
    await informer.start();
    try {
      const created = await inProcess.agents.create({ metadata: { name: "in-process", namespace: "default" }, spec: { prompt: "inside" } });
      expect((await overTls.agents.get("default", "in-process"))?.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
      expect(await inProcess.agents.get("default", "no-such-agent")).toBeUndefined();
      const conflict = await inProcess.agents.create({ metadata: { name: "in-process", namespace: "default" }, spec: { prompt: "again" } }).catch((e: unknown) => e);
      expect(apiStatusCode(conflict)).toBe(409);
      // The informer's LIST, the create, the get, the refused create: in process; the informer's watch: over the socket.
      expect(calls).toEqual(["GET", "POST", "GET", "POST"]);
      await expect.poll(() => informer.get("default", "in-process")?.spec.prompt, { timeout: 15_000, interval: 25 }).toBe("inside");
    } finally {
      await informer.stop();
    }
    // A KubeConfig impersonating someone (the worker's ARK_IMPERSONATE_QUERIES) keeps its Impersonate-User header: it calls over the socket.
    const asNobody = createArkClient(impersonating(kc, "nobody"));
    expect(apiStatusCode(await asNobody.agents.list("default").catch((e: unknown) => e))).toBe(403);
    expect(calls).toHaveLength(4);
    const wrongToken = unixSocketKubeConfig({ socketPath: socket.path, token: "not-the-token-at-all", inProcess: server.inProcess });
    expect(
      apiStatusCode(
        await createArkClient(wrongToken)
          .agents.list("default")
          .catch((e: unknown) => e),
      ),
    ).toBe(401);
  });

  it("still needs the token", async () => {
    const kc = unixSocketKubeConfig({ socketPath: server.socket!.path, token: "not-the-token-at-all" });
    const err = await createArkClient(kc)
      .agents.list("default")
      .catch((e: unknown) => e);
    expect(apiStatusCode(err)).toBe(401);
  });
});
