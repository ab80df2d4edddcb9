import { testPostgres } from "@ark/testing/vitest";
import { agentKind } from "@ark/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiStatusCode, createArkClient, createInformerCache, unixSocketKubeConfig, type Agent } from "@ark/kube";
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

  it("still needs the token", async () => {
    const kc = unixSocketKubeConfig({ socketPath: server.socket!.path, token: "not-the-token-at-all" });
    const err = await createArkClient(kc)
      .agents.list("default")
      .catch((e: unknown) => e);
    expect(apiStatusCode(err)).toBe(401);
  });
});
