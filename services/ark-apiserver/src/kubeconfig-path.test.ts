import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api } from "@kubernetes/client-node";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServerForTest, type TestApiServer } from "./test-support/api-server.js";

// Compose shares the kubeconfig's folder with every service, so the CA key under $ARK_HOME/pki must not be in it.
describe.skipIf(!testPostgres())("ARK_APISERVER_KUBECONFIG", () => {
  let db: TestDatabase;
  let tmp: string;
  let server: TestApiServer;

  beforeAll(async () => {
    db = await createTestDatabase({ label: "kubeconfig-path" });
    tmp = await mkdtemp(join(tmpdir(), "ark-kubeconfig-path-"));
    server = await startApiServerForTest({ databaseUrl: db.url, arkHome: join(tmp, "state"), env: { ARK_APISERVER_KUBECONFIG: join(tmp, "shared", "kubeconfig") } });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("writes a working kubeconfig there, outside $ARK_HOME and its keys", async () => {
    expect(server.kubeconfigPath).toBe(join(tmp, "shared", "kubeconfig"));
    expect(existsSync(join(tmp, "state", "kubeconfig"))).toBe(false);
    expect(existsSync(join(tmp, "state", "pki", "ca.key"))).toBe(true);
    const namespaces = await server.kubeConfig().makeApiClient(CoreV1Api).listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toContain("default");
  });
});
