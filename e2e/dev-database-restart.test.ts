import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { embeddedDataDir, isProcessAlive } from "@ark/service-kit";
import { modelAgentQuery, startMockModel, type MockModel } from "@ark/testing";
import { finishedQuery } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { devEnvironment, hasKubectl, kubectl, startDev, type DevProcess } from "./support/cli.js";

// `pnpm dev` heals: the embedded postmaster killed with -9 while queries run is restarted on its intact data, and
// the running queries finish once, each with its one model call (not re-run from the start).
if (!hasKubectl) console.warn("[@ark/e2e] ark dev database restart skipped: kubectl is missing");

const QUERIES = 5;

describe.skipIf(!hasKubectl)("ark dev when its database is killed under running queries (e2e)", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let arkApi: string;
  let model: MockModel;
  let dev: DevProcess | undefined;
  const postmasters: number[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ark-e2e-dev-pg-"));
    await chmod(dir, 0o755);
    const environment = await devEnvironment();
    env = environment.env;
    arkApi = `http://127.0.0.1:${environment.ports["ark-api"]}`;
    model = await startMockModel();
  });

  afterAll(async () => {
    await dev?.kill();
    for (const pid of postmasters) if (isProcessAlive(pid)) process.kill(pid, "SIGINT");
    await model?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("restarts the killed PostgreSQL and every running query finishes with one model call", { timeout: 420_000 }, async () => {
    dev = await startDev({ cwd: dir, env });
    const pidFile = join(await embeddedDataDir(join(dir, ".ark")), "postmaster.pid");
    const postmasterPid = async () => Number((await readFile(pidFile, "utf8")).split("\n")[0]);
    postmasters.push(await postmasterPid());
    const apiKey = (await readFile(join(dir, ".ark", "api-key"), "utf8")).trim();
    const kubeconfig = join(dir, ".ark", "kubeconfig");

    // Each model call takes long enough for the database to go away and come back while it is in flight.
    model.setLatency({ delayMs: 8_000 });
    const queries = Array.from(
      { length: QUERIES },
      (_, i) => `---\napiVersion: ark.mckinsey.com/v1alpha1\nkind: Query\nmetadata: { name: q${i} }\nspec:\n  input: "question ${i}"\n  target: { type: agent, name: e2e-agent }\n`,
    );
    await writeFile(join(dir, "stack.yaml"), modelAgentQuery(model.url, "warm-up") + queries.join(""));
    kubectl(kubeconfig, "apply", "-f", join(dir, "stack.yaml"));
    const questionCalls = async () => (await model.waitForRequests(0)).filter((request) => JSON.stringify(request.body ?? "").includes("question"));
    await expect.poll(async () => (await questionCalls()).length, { timeout: 120_000, interval: 100, message: "the queries that reached the model" }).toBeGreaterThanOrEqual(QUERIES);

    const killed = postmasters[0]!;
    process.kill(killed, "SIGKILL");
    await vi.waitFor(
      async () => {
        const pid = await postmasterPid().catch(() => 0);
        if (pid === 0 || pid === killed || !isProcessAlive(pid)) throw new Error(`the embedded PostgreSQL was not restarted:\n${dev!.output().slice(-3000)}`);
      },
      { timeout: 60_000, interval: 100 },
    );
    postmasters.push(await postmasterPid());

    for (let i = 0; i < QUERIES; i++) {
      const query = await finishedQuery({ url: arkApi, apiKey }, "default", `q${i}`, { timeout: 180_000, interval: 250 });
      expect(query.status, `q${i}`).toMatchObject({ phase: "done", response: { content: `mock: question ${i}` } });
    }
    expect(await questionCalls()).toHaveLength(QUERIES);
    expect(dev.child.exitCode).toBeNull();
    // The stack answers as before: kubectl reads what the restarted database holds.
    expect(kubectl(kubeconfig, "get", "queries", "-o", "name").trim().split("\n")).toHaveLength(QUERIES + 1);
  });
});
