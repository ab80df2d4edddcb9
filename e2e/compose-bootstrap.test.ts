import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createArkClient, loadKubeConfig } from "@ark/kube";
import { startArkStack, type RunningApiServer } from "@ark/test-stack";
import { testPostgres } from "@ark/testing/vitest";
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// compose's bootstrap runs as ark-api's ServiceAccount (kubeconfig-ark-api), not as the admin: it must get by with those rules.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

describe.skipIf(!testPostgres())("compose/bootstrap.mjs under ark-api's identity", () => {
  let home: string;
  let stop: (() => Promise<void>) | undefined;
  let running: RunningApiServer;
  let script: string;

  beforeAll(async () => {
    // What compose shares between containers (service kubeconfigs, the admin key's hash) lives apart from ARK_HOME.
    home = mkdtempSync(join(tmpdir(), "ark-compose-bootstrap-"));
    const stack = await startArkStack({
      label: "compose-bootstrap",
      apiServerEnv: { ARK_APISERVER_SERVICE_KUBECONFIG_DIR: join(home, "shared"), ARK_APISERVER_SERVICE_KUBECONFIGS: "ark-api" },
    });
    stop = () => stack.stop();
    running = stack.apiServer;
    // Where the image runs it: beside ark-api's node_modules (which hold @kubernetes/client-node).
    script = join(root, "services", "ark-api", `.bootstrap-test-${process.pid}.mjs`);
    copyFileSync(join(root, "compose", "bootstrap.mjs"), script);
  });
  afterAll(async () => {
    if (script) rmSync(script, { force: true });
    await stop?.();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  // Asynchronous: the apiserver it talks to runs in this process.
  const bootstrap = (env: Record<string, string>) =>
    new Promise<{ status: number | null; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [script],
        {
          encoding: "utf8",
          timeout: 60_000,
          env: {
            PATH: process.env.PATH ?? "",
            KUBECONFIG: join(home, "shared", "kubeconfig-ark-api"),
            ARK_API_ADMIN_KEY_SHA256_FILE: join(home, "admin-key.sha256"),
            MEMORY_URL: "http://postgres-memory:8002",
            EVALUATOR_URL: "http://evaluator-llm:8001/evaluate",
            MOCK_MODEL_URL: "http://mock-model:8099/v1",
            ...env,
          },
        },
        (err, _stdout, stderr) => done({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });

  it("creates the default Model, its Secret and the Memory, and updates the Secret on a later start", async () => {
    const first = await bootstrap({ OPENAI_API_KEY: "sk-first" });
    expect(first.status, first.stderr).toBe(0);
    const second = await bootstrap({ OPENAI_API_KEY: "sk-second" });
    expect(second.status, second.stderr).toBe(0);
    const admin = loadKubeConfig({ kubeconfigPath: running.kubeconfigPath }).makeApiClient(CoreV1Api);
    const secret = await admin.readNamespacedSecret({ namespace: "default", name: "default-model" });
    const values = Object.values(secret.data ?? {}).map((v) => Buffer.from(v, "base64").toString());
    expect(values).toContain("sk-second");
    expect(values).not.toContain("sk-first");
    const evaluator = await createArkClient(loadKubeConfig({ kubeconfigPath: running.kubeconfigPath })).evaluators.get("default", "evaluator-llm");
    expect(evaluator?.spec.address).toEqual({ value: "http://evaluator-llm:8001/evaluate" });
  });
});
