import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServerForTest, type TestApiServer } from "./test-support/api-server.js";

// Compose: each service reads its own kubeconfig, with its own ServiceAccount's token and service-rules.ts's rules.
describe.skipIf(!testPostgres())("ARK_APISERVER_SERVICE_KUBECONFIGS", () => {
  let db: TestDatabase;
  let tmp: string;
  let server: TestApiServer;
  const shared = () => join(tmp, "shared");
  const kubeConfigOf = (identity: string) => {
    const kc = new KubeConfig();
    kc.loadFromFile(join(shared(), `kubeconfig-${identity}`));
    return kc;
  };
  const status = async (call: Promise<unknown>) =>
    call.then(
      () => 200,
      (err: { code?: number }) => err.code,
    );

  beforeAll(async () => {
    db = await createTestDatabase({ label: "service-kubeconfigs" });
    tmp = await mkdtemp(join(tmpdir(), "ark-service-kubeconfigs-"));
    server = await startApiServerForTest({
      databaseUrl: db.url,
      arkHome: join(tmp, "state"),
      env: {
        ARK_APISERVER_KUBECONFIG: join(tmp, "state", "kubeconfig"),
        ARK_APISERVER_SERVICE_KUBECONFIG_DIR: shared(),
        ARK_APISERVER_SERVICE_KUBECONFIGS: "ark-controller-worker,ark-mcp,ark-api",
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("writes one kubeconfig per identity (0600) whose token holds exactly that service's rules", async () => {
    for (const identity of ["ark-controller-worker", "ark-mcp", "ark-api"]) {
      expect(statSync(join(shared(), `kubeconfig-${identity}`)).mode & 0o777, identity).toBe(0o600);
    }
    const secretsOf = (identity: string) => status(kubeConfigOf(identity).makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: "default" }));
    // The worker reads Secrets (model keys) but writes nothing; ark-mcp reads no Secret outside the key namespace.
    expect(await secretsOf("ark-controller-worker")).toBe(200);
    expect(await secretsOf("ark-mcp")).toBe(403);
    const createSecret = (identity: string, namespace: string) =>
      status(
        kubeConfigOf(identity)
          .makeApiClient(CoreV1Api)
          .createNamespacedSecret({ namespace, body: { metadata: { name: `s-${identity}` }, stringData: { k: "v" } } }),
      );
    expect(await createSecret("ark-controller-worker", "default")).toBe(403);
    // ark-api manages Secrets only in ARK_APISERVER_SECRET_NAMESPACES (default: default) and its key namespace.
    expect(await createSecret("ark-api", "default")).toBe(200);
    expect(await createSecret("ark-api", "kube-system")).toBe(403);
    const agents = (identity: string) =>
      status(kubeConfigOf(identity).makeApiClient(CustomObjectsApi).listNamespacedCustomObject({ group: "ark.mckinsey.com", version: "v1alpha1", namespace: "default", plural: "agents" }));
    expect(await agents("ark-mcp")).toBe(200);
    // The admin kubeconfig stays in the server's own folder.
    expect(server.kubeconfigPath).toBe(join(tmp, "state", "kubeconfig"));
  });
});
