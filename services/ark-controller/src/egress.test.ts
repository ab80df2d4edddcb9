import type { MCPServer, Model } from "@ark/kube";
import { testPostgres } from "@ark/testing/vitest";
import { describe, expect, it } from "vitest";
import { finished, useControllerSuite, waitForQuery } from "./test-support/controller.js";
import { createApiKeySecret, createQuery, freshNamespace } from "./test-support/manifests.js";

// The suite runs with the controller's defaults: no ARK_EGRESS_ALLOW.
describe.skipIf(!testPostgres())("tenant tools do not reach ARK's own services (egress defaults)", () => {
  const suite = useControllerSuite();

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it("an HTTP tool aimed at ark-apiserver (by its address or its service name) or postgres-memory ends the query in error, naming the refusal", async () => {
    const ns = await freshNamespace(suite.stack);
    const apiserver = new URL(suite.stack.kc.getCurrentCluster()!.server);
    const targets = {
      apiserver: `https://${apiserver.host}/api/v1/namespaces/${ns}/secrets`,
      "apiserver-svc": "https://ark-apiserver.ark-system.svc.cluster.local:6443/api/v1/secrets",
      memory: "http://postgres-memory:8002/messages/someone-else",
      loopback: `http://localhost:${new URL(suite.stack.mock.url).port}/v1/models`,
    };
    for (const [name, url] of Object.entries(targets)) {
      await suite.stack.resources.ark.tools.create({ metadata: { name, namespace: ns }, spec: { type: "http", description: name, http: { url } } });
      await createQuery(suite.stack, ns, name, { input: "{}", target: { type: "tool", name } });
    }
    for (const name of Object.keys(targets)) {
      const query = await waitForQuery(suite.stack, ns, name, finished);
      expect(query.status?.phase, name).toBe("error");
      expect(query.status?.message, name).toMatch(/egress to .* refused: an internal (address|or ARK service name)/);
    }
  });

  it("an MCPServer on a local address is refused at discovery, and a Model at a metadata address fails its probe", async () => {
    const ns = await freshNamespace(suite.stack);
    await suite.stack.resources.ark.mcpServers.create({ metadata: { name: "local", namespace: ns }, spec: { address: { value: `${suite.stack.mock.url}/mcp` }, timeout: "2s" } });
    const server = await until(
      async () => (await suite.stack.resources.ark.mcpServers.get(ns, "local")) as MCPServer,
      (s) => s.status?.conditions?.some((c) => c.type === "Ready" && c.status === "False" && c.reason === "ClientCreationFailed") ?? false,
    );
    expect(server.status?.conditions?.find((c) => c.type === "Ready")?.message).toMatch(/egress to 127\.0\.0\.1 refused: an internal address/);

    await createApiKeySecret(suite.stack, ns, "key");
    await suite.stack.resources.ark.models.create({
      metadata: { name: "imds", namespace: ns },
      spec: {
        type: "openai",
        model: { value: "m" },
        config: { openai: { baseUrl: { value: "http://[64:ff9b::a9fe:a9fe]/v1" }, apiKey: { valueFrom: { secretKeyRef: { name: "key", key: "token" } } } } },
      },
    });
    const model = await until(
      async () => (await suite.stack.resources.ark.models.get(ns, "imds")) as Model,
      (m) => m.status?.conditions?.some((c) => c.type === "Available" && c.status === "False") ?? false,
    );
    expect(model.status?.conditions?.find((c) => c.type === "Available")?.message).toMatch(/egress to .*169\.254\.169\.254.* refused: a cloud metadata address|egress to 64:ff9b::a9fe:a9fe refused: a cloud metadata address/);
  });
});
