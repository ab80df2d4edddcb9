import type { MCPServer, Model } from "@ark/kube";
import { finishedQuery, testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { describe, expect, it, vi } from "vitest";
import { useControllerSuite } from "./test-support/controller.js";
import { createApiKeySecret, createQuery, freshNamespace } from "./test-support/manifests.js";

// The suite runs with the controller's defaults: no ARK_EGRESS_ALLOW.
describe.skipIf(!testPostgres())("tenant tools do not reach ARK's own services (egress defaults)", () => {
  const suite = useControllerSuite();

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
      const query = await finishedQuery(suite.stack.resources.ark.queries, ns, name);
      expect(query.status?.phase, name).toBe("error");
      expect(query.status?.message, name).toMatch(/egress to .* refused: an internal (address|or ARK service name)/);
    }
  });

  it("an MCPServer on a local address is refused at discovery, and a Model at a metadata address fails its probe", async () => {
    const ns = await freshNamespace(suite.stack);
    await suite.stack.resources.ark.mcpServers.create({ metadata: { name: "local", namespace: ns }, spec: { address: { value: `${suite.stack.mock.url}/mcp` }, timeout: "2s" } });
    const server = await vi.waitFor(async () => {
      const s = (await suite.stack.resources.ark.mcpServers.get(ns, "local")) as MCPServer;
      expect(s.status?.conditions?.find((c) => c.type === "Ready")).toMatchObject({ status: "False", reason: "ClientCreationFailed" });
      return s;
    }, WITHIN_TEST_TIMEOUT);
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
    const model = await vi.waitFor(async () => {
      const m = (await suite.stack.resources.ark.models.get(ns, "imds")) as Model;
      expect(m.status?.conditions?.find((c) => c.type === "Available")).toMatchObject({ status: "False" });
      return m;
    }, WITHIN_TEST_TIMEOUT);
    expect(model.status?.conditions?.find((c) => c.type === "Available")?.message).toMatch(
      /egress to .*169\.254\.169\.254.* refused: a cloud metadata address|egress to 64:ff9b::a9fe:a9fe refused: a cloud metadata address/,
    );
  });
});
