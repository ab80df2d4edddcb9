import { spawnSync } from "node:child_process";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { existsSync, statSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPgPool, embeddedDataDir, isProcessAlive } from "@ark/service-kit";
import { getFromArkApi, modelAgentQuery, startMockModel, type MockModel } from "@ark/testing";
import { finishedQuery } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_SERVICES, ark, devEnvironment, errorLines, hasKubectl, kubectl, kubectlAnswer, startDev, type DevProcess } from "./support/cli.js";

// `pnpm dev` on a bare machine: `ark dev` from an empty directory, embedded PostgreSQL under .ark/pg and the
// in-process bus; driven with kubectl and .ark/kubeconfig, read through ark-api and `ark query`; Ctrl-C (SIGINT to the
// process group, as a terminal sends it) stops it cleanly, and a second start finds the data.
if (!hasKubectl) console.warn("[@ark/e2e] ark dev (embedded) skipped: kubectl is missing");

describe.skipIf(!hasKubectl)("ark dev on embedded defaults (e2e)", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let arkApi: string;
  let a2a: string;
  let gateway: string;
  let model: MockModel;
  let dev: DevProcess | undefined;
  const postmasters: number[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ark-e2e-dev-"));
    await chmod(dir, 0o755); // as root, the embedded PostgreSQL runs as the OS user postgres, which must reach .ark/pg
    // An exported HOST (a container's 0.0.0.0) must not put the stack on the network.
    const environment = await devEnvironment({ HOST: "0.0.0.0" });
    env = environment.env;
    arkApi = `http://127.0.0.1:${environment.ports["ark-api"]}`;
    a2a = `http://127.0.0.1:${environment.ports["ark-api-a2a"]}`;
    gateway = `http://127.0.0.1:${environment.ports["localhost-gateway"]}`;
    model = await startMockModel();
  });

  afterAll(async () => {
    await dev?.kill();
    // A postmaster of ours still up after a failure: stop it by its pid (it has its own process group).
    for (const pid of postmasters) if (isProcessAlive(pid)) process.kill(pid, "SIGINT");
    await model?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const kubeconfig = () => join(dir, ".ark", "kubeconfig");
  const apiKey = async () => (await readFile(join(dir, ".ark", "api-key"), "utf8")).trim();
  const postmasterPid = async () => Number((await readFile(join(dir, ".ark", "pg", "postmaster.pid"), "utf8")).split("\n")[0]);

  /** Ctrl-C: a clean exit, no error logged on the way (no 57P01 from a database stopped under the services), no server left. */
  async function interruptCleanly(): Promise<void> {
    const pid = postmasters.at(-1)!;
    expect(await dev!.interrupt()).toBe(0);
    expect(errorLines(dev!.output())).toEqual([]);
    expect(errorLines(await readFile(join(dir, ".ark", "logs", "dev.log"), "utf8"))).toEqual([]);
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(join(dir, ".ark", "pg", "postmaster.pid"))).toBe(false);
    expect(existsSync(join(dir, ".ark", "apiserver.sock"))).toBe(false);
    dev = undefined;
  }

  it("answers a kubectl-applied query through ark-api and `ark query`, stops on Ctrl-C, keeps its data, and leaves no server when killed", { timeout: 300_000 }, async () => {
    dev = await startDev({ cwd: dir, env });
    expect(dev.output()).toMatch(/postgres\s+postgres:\/\/127\.0\.0\.1:\d+\s+ready \(embedded\)/);
    expect(dev.output()).toContain(`embedded PostgreSQL under ${join(dir, ".ark", "pg")}`);
    expect(dev.output()).toContain("in-process (NATS_URL unset)");
    // The stack's own services reach ark-apiserver through its Unix socket (no TLS in-process); kubectl through the kubeconfig.
    expect(statSync(join(dir, ".ark", "apiserver.sock")).isSocket()).toBe(true);
    postmasters.push(await postmasterPid());

    await writeFile(join(dir, "stack.yaml"), modelAgentQuery(model.url, "what is ARK?"));
    expect(kubectl(kubeconfig(), "apply", "-f", join(dir, "stack.yaml"))).toContain("query.ark.mckinsey.com/e2e-q created");
    const query = await finishedQuery({ url: arkApi, apiKey: await apiKey() }, "default", "e2e-q", { timeout: 60_000, interval: 250 });
    expect(query.status).toMatchObject({ phase: "done", response: { content: "mock: what is ARK?" } });
    // The stack's services run as their own ServiceAccounts with service-rules.ts's rules, not as the admin.
    expect(kubectl(kubeconfig(), "get", "serviceaccounts", "-n", "ark-system", "-o", "name").trim().split("\n").sort()).toEqual([
      "serviceaccount/ark-api",
      "serviceaccount/ark-api-a2a",
      "serviceaccount/ark-controller",
      "serviceaccount/ark-mcp",
      "serviceaccount/evaluator-llm",
    ]);
    const canI = (who: string, ...what: string[]) => kubectlAnswer(kubeconfig(), "auth", "can-i", `--as=system:serviceaccount:ark-system:${who}`, ...what);
    expect(canI("ark-mcp", "create", "queries", "-n", "default")).toEqual({ code: 0, stdout: "yes" });
    expect(canI("ark-mcp", "get", "secrets", "-n", "default")).toEqual({ code: 1, stdout: "no" });
    expect(canI("ark-controller", "list", "secrets", "-n", "default")).toEqual({ code: 0, stdout: "yes" });
    expect(canI("ark-controller", "create", "secrets", "-n", "default")).toEqual({ code: 1, stdout: "no" });
    expect(canI("ark-api", "delete", "agents", "-n", "default")).toEqual({ code: 0, stdout: "yes" });
    expect(canI("ark-api", "create", "clusterroles")).toEqual({ code: 1, stdout: "no" });
    expect(canI("evaluator-llm", "get", "models", "-n", "default")).toEqual({ code: 0, stdout: "yes" });
    expect(canI("evaluator-llm", "create", "queries", "-n", "default")).toEqual({ code: 1, stdout: "no" });
    // The stack registers its evaluator-llm as the Evaluator evaluator-llm.
    expect(kubectl(kubeconfig(), "get", "evaluators", "-o", "name").trim()).toBe("evaluator.ark.mckinsey.com/evaluator-llm");

    expect(canI("ark-api-a2a", "create", "queries", "-n", "default")).toEqual({ code: 0, stdout: "yes" });
    expect(canI("ark-api-a2a", "get", "secrets", "-n", "default")).toEqual({ code: 1, stdout: "no" });

    // The agent is an A2A agent at upstream's /agent/<name>/, directly and through the gateway (/a2a/), card public.
    for (const base of [`${a2a}/agent/e2e-agent/`, `${gateway}/a2a/agent/e2e-agent/`]) {
      const card = await fetch(`${base}.well-known/agent.json`);
      // On failure, say who answered: the service's own 404 names the agent, anything else is not ARK's.
      expect(card.status, `${base}: ${await card.clone().text()}`).toBe(200);
      expect(await card.json()).toMatchObject({ name: "e2e-agent", protocolVersion: "0.3", capabilities: { streaming: true } });
    }
    const sent = await fetch(`${gateway}/a2a/agent/e2e-agent/`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await apiKey()}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "message/send", params: { message: { kind: "message", messageId: "m-1", role: "user", parts: [{ kind: "text", text: "hello over A2A" }] } } }),
    });
    expect(await sent.json()).toMatchObject({ result: { kind: "task", status: { state: "completed" }, artifacts: [{ parts: [{ kind: "text", text: "mock: hello over A2A" }] }] } });

    const asked = await ark(["query", "agent/e2e-agent", "hello from the cli"], { cwd: dir, env: { ...env, ARK_SERVER: arkApi } });
    expect({ code: asked.code, stdout: asked.stdout }).toEqual({ code: 0, stdout: "mock: hello from the cli\n" });

    await interruptCleanly();

    dev = await startDev({ cwd: dir, env });
    postmasters.push(await postmasterPid());
    expect(kubectl(kubeconfig(), "get", "agents,models", "-o", "name").trim().split("\n").sort()).toEqual(["agent.ark.mckinsey.com/e2e-agent", "model.ark.mckinsey.com/default", "model.ark.mckinsey.com/e2e-mock"]);
    expect((await getFromArkApi<{ status?: unknown }>({ url: arkApi, apiKey: await apiKey() }, "/v1/namespaces/default/queries/e2e-q")).status).toMatchObject({
      phase: "done",
      response: { content: "mock: what is ARK?" },
    });
    // The Model is still usable after the restart: a new query answers.
    const again = await ark(["query", "agent/e2e-agent", "still there?"], { cwd: dir, env: { ...env, ARK_SERVER: arkApi } });
    expect({ code: again.code, stdout: again.stdout }).toEqual({ code: 0, stdout: "mock: still there?\n" });

    // Killed outright (no Ctrl-C, no cleanup): the server must not outlive the stack.
    const pid = postmasters.at(-1)!;
    await dev.kill();
    dev = undefined;
    if (parentDeathSignal) {
      await expect.poll(() => isProcessAlive(pid), { timeout: 30_000, interval: 100, message: `the PostgreSQL of a killed ark dev (pid ${pid}) is still running` }).toBe(false);
    }
  });
});

describe.skipIf(!hasKubectl)("ark dev is safe by default (e2e)", () => {
  let dir: string;
  let dataDir: string;
  let dev: DevProcess | undefined;

  beforeAll(async () => {
    // 0700, as `mktemp -d` makes it: as root, the OS user postgres cannot enter it, and the stack starts anyway.
    dir = await mkdtemp(join(tmpdir(), "ark-e2e-dev-safe-"));
    await chmod(dir, 0o700);
    dataDir = await embeddedDataDir(join(dir, ".ark"));
  });

  afterAll(async () => {
    await dev?.kill();
    await rm(dir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
    await rm(`${dataDir}.password`, { force: true });
  });

  it("listens on 127.0.0.1 only, refuses a rebound Host or Origin on every port, needs its key, and has no postgres/postgres", { timeout: 300_000 }, async () => {
    const { env } = await devEnvironment({ HOST: "0.0.0.0" });
    dev = await startDev({ cwd: dir, env });
    const stack = JSON.parse(await readFile(join(dir, ".ark", "dev-stack.json"), "utf8")) as { ca?: string; services: { name: string; url: string }[] };
    expect(stack.services.map((s) => s.name).sort()).toEqual([...DEV_SERVICES, "postgres"].sort());

    for (const { name, url } of stack.services) {
      const origin = new URL(url);
      expect(origin.hostname, `${name} listens on`).toBe("127.0.0.1");
      if (name === "postgres") continue;
      const send = (path: string, headers: Record<string, string>) => rawRequest(`${origin.origin}${path}`, headers, stack.ca);
      const byHost = await send("/", { host: "attacker.example" });
      expect(byHost.status, `${name}: Host: attacker.example`).toBe(403);
      expect(byHost.body, name).toContain("Host not allowed: attacker.example");
      const byOrigin = await send("/", { host: `localhost:${origin.port}`, origin: "http://attacker.example" });
      expect(byOrigin.status, `${name}: Origin: http://attacker.example`).toBe(403);
      expect(byOrigin.body, name).toContain("Origin not allowed: http://attacker.example");
      expect((await send("/", { host: `localhost:${origin.port}` })).body, `${name}: localhost`).not.toContain("not allowed");
      if (name !== "mock-model") expect((await send("/health", { host: "attacker.example" })).status, `${name}: /health`).toBe(200);
    }

    const arkApi = stack.services.find((s) => s.name === "ark-api")!.url;
    expect(dev.output()).toContain(`api key:    ${join(dir, ".ark", "api-key")}`);
    expect((await fetch(`${arkApi}/v1/namespaces/default/agents`)).status, "ark-api without a key").toBe(401);
    expect(statSync(join(dir, ".ark", "api-key")).mode & 0o777).toBe(0o600);
    const listed = await ark(["get", "models"], { cwd: dir, env: { ...env, ARK_SERVER: arkApi } });
    expect({ code: listed.code, stderr: listed.stderr }).toEqual({ code: 0, stderr: "" });
    expect(listed.stdout).toMatch(/^default\s/m);

    // The CLI's verb groups and tools, through the binary, against this stack.
    const cli = (...args: string[]) => ark(args, { cwd: dir, env: { ...env, ARK_SERVER: arkApi } });
    const created = await cli("models", "create", "gpt", "--type", "openai", "--model", "gpt-4.1-mini", "--base-url", "https://api.openai.com/v1", "--api-key-secret", "openai");
    expect(created).toMatchObject({ code: 0, stdout: "model/gpt created\n" });
    expect(await cli("agents", "create", "helper", "--prompt", "You help.", "--model", "gpt")).toMatchObject({ code: 0, stdout: "agent/helper created\n" });
    expect(await cli("teams", "create", "crew", "--members", "agent:helper", "--strategy", "round-robin", "--max-turns", "2")).toMatchObject({ code: 0, stdout: "team/crew created\n" });
    expect((await cli("agents", "list", "-o", "name")).stdout.split("\n")).toContain("agent/helper");
    const model = JSON.parse((await cli("models", "get", "gpt", "-o", "json")).stdout) as { spec: { config: { openai: { apiKey: unknown } } } };
    expect(model.spec.config.openai.apiKey).toEqual({ valueFrom: { secretKeyRef: { name: "openai", key: "token" } } });
    expect((await cli("teams", "list", "-o", "wide")).stdout).toMatch(/^crew\s/m);
    expect((await cli("targets", "-o", "name")).stdout.split("\n")).toEqual(expect.arrayContaining(["agent/helper", "team/crew", "model/gpt", "model/default"]));
    expect(await cli("teams", "delete", "crew")).toMatchObject({ code: 0, stdout: "team/crew deleted\n" });
    expect(await cli("teams", "delete", "crew")).toMatchObject({ code: 1 });
    expect(await cli("teams", "create", "bad", "--members", "model:x")).toMatchObject({ code: 2 });
    expect(await cli("get", "agents", "-o", "xml")).toMatchObject({ code: 2 });
    const routes = await cli("routes");
    expect(routes.code, routes.stderr).toBe(0);
    expect(routes.stdout).toMatch(/^api\s+http:\/\/api\.localhost:\d+\//m);
    const completion = await cli("completion", "bash");
    expect(completion.code).toBe(0);
    expect(spawnSync("bash", ["-n"], { input: completion.stdout }).status).toBe(0);
    expect(completion.stdout).toContain('models) words="list get delete create"');

    const port = new URL(stack.services.find((s) => s.name === "postgres")!.url).port;
    const legacy = createPgPool(`postgres://postgres:postgres@127.0.0.1:${port}/postgres`, { max: 1 });
    await expect(legacy.query("select 1")).rejects.toMatchObject({ code: "28P01" });
    await legacy.end();
    expect(statSync(`${dataDir}.password`).mode & 0o777).toBe(0o600);
    expect(dev.output()).toContain(`embedded PostgreSQL under ${dataDir}`);
    if (process.getuid?.() === 0) {
      // Root in a directory only root enters: the data lives where postgres can reach it, 0700, its own.
      expect(dataDir.startsWith("/var/lib/ark/pg/")).toBe(true);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(dataDir).uid).not.toBe(0);
    }

    expect(await dev.interrupt()).toBe(0);
    dev = undefined;
  });
});

/** A GET with exactly these headers (fetch cannot set Host); `ca` verifies ark-apiserver's certificate. */
function rawRequest(url: string, headers: Record<string, string>, ca: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith("https:") ? httpsRequest : httpRequest;
    // The certificate is checked against the CA, not against the Host we forge.
    const req = send(url, { headers, ...(ca ? { ca, checkServerIdentity: () => undefined } : {}) }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Linux with util-linux's setpriv: the embedded server gets SIGINT when its parent dies; elsewhere the next start stops it. */
const parentDeathSignal = process.platform === "linux" && spawnSync("setpriv", ["--pdeathsig", "SIGINT", "--", "true"]).status === 0;
