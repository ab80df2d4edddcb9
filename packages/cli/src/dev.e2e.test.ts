import { freePort } from "@ark/service-kit";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { modelAgentQuery, startMockModel, type MockModel } from "@ark/testing";
import { createTestDatabase, finishedQuery, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// `ark dev` as a user runs it: a child process in a fresh directory, driven with kubectl, ark-api and `ark query`.
const KUBECTL = "/usr/bin/kubectl";
const BIN = fileURLToPath(new URL("../bin/ark.js", import.meta.url));
const SERVICES = ["ark-apiserver", "ark-api", "ark-controller", "postgres-memory", "filesys-mcp", "mock-model", "ark-mcp", "ark-api-a2a", "localhost-gateway", "evaluator-llm", "executor-langchain"];
const READY_LINE = "ARK dev stack ready";
const PROVIDER_VARIABLES = ["OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "ANTHROPIC_API_KEY", "OLLAMA_BASE_URL"];

const hasKubectl = existsSync(KUBECTL);
if (!hasKubectl) console.warn(`[@ark/cli e2e] skipped: ${KUBECTL} is missing (the test drives the stack with the real kubectl)`);

describe.skipIf(!hasKubectl)("ark dev (e2e)", () => {
  let dir: string;
  let database: TestDatabase | undefined;
  let env: NodeJS.ProcessEnv;
  let ports: Record<string, number>;
  let stack: ChildProcess | undefined;
  let output = "";
  // The applied Model's own mock, so the test can script a tool call (the stack's bundled mock only echoes).
  let model: MockModel;

  beforeAll(async () => {
    model = await startMockModel();
    dir = await mkdtemp(join(tmpdir(), "ark-dev-e2e-"));
    await chmod(dir, 0o755); // the embedded PostgreSQL runs as the OS user postgres when we are root
    ports = Object.fromEntries(await Promise.all(SERVICES.map(async (name) => [name, await freePort()] as const)));
    database = testPostgres() ? await createTestDatabase() : undefined;
    env = { ...process.env, LOG_LEVEL: "info" };
    for (const name of [...PROVIDER_VARIABLES, "PORT", "ARK_HOME", "ARK_PORT_OFFSET", "ARK_SERVER", "DATABASE_URL"]) delete env[name];
    // The in-process bus keeps this stack's queries away from other suites sharing the machine's NATS.
    delete env.NATS_URL;
    for (const [name, port] of Object.entries(ports)) env[`ARK_PORT_${name.toUpperCase().replace(/-/g, "_")}`] = String(port);
    if (database) env.DATABASE_URL = database.url;
    console.info(`[@ark/cli e2e] ${dir}; database: ${database ? "a fresh test database (DATABASE_URL)" : "the embedded PostgreSQL under .ark/pg"}`);
  });

  afterAll(async () => {
    if (stack && stack.exitCode === null) {
      stack.kill("SIGKILL");
      await exited(stack).catch(() => undefined);
    }
    await database?.drop().catch(() => undefined);
    await model?.close();
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  });

  async function startDev(): Promise<void> {
    output = "";
    stack = spawn(process.execPath, [BIN, "dev"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    stack.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    stack.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await vi.waitFor(
      () => {
        if (!output.includes(READY_LINE) && stack!.exitCode === null) throw new Error(`ark dev did not get ready:\n${output}`);
      },
      { timeout: 150_000, interval: 100 },
    );
    if (!output.includes(READY_LINE)) throw new Error(`ark dev exited ${stack.exitCode}:\n${output}`);
  }

  async function stopDev(): Promise<number | null> {
    stack!.kill("SIGINT");
    return exited(stack!);
  }

  const kubectl = (...args: string[]) => {
    const result = spawnSync(KUBECTL, ["--kubeconfig", join(dir, ".ark", "kubeconfig"), ...args], { encoding: "utf8", timeout: 60_000 });
    if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")}: ${result.stderr}`);
    return result.stdout;
  };
  // ark dev turns ark-api auth on with an admin key it keeps in .ark/api-key; `ark` finds it by itself.
  const apiKey = async () => (await readFile(join(dir, ".ark", "api-key"), "utf8")).trim();
  const api = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${ports["ark-api"]}${path}`, { headers: { authorization: `Bearer ${await apiKey()}` } });
    expect(res.status, path).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
  /** `ark <args>`; a first argument `{ stdin }` is written to its standard input (then closed). */
  const ark = (...call: [{ stdin: string }, ...string[]] | string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const [first, ...rest] = call;
      const stdin = typeof first === "object" ? first.stdin : undefined;
      const args = typeof first === "object" ? (rest as string[]) : (call as string[]);
      const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...env, ARK_SERVER: `http://127.0.0.1:${ports["ark-api"]}` } });
      child.stdin.end(stdin ?? "");
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });

  it("starts every service, answers a kubectl-applied query and `ark query`, and keeps its data across a restart", { timeout: 480_000 }, async () => {
    await startDev();
    for (const name of SERVICES) {
      expect(output, name).toMatch(new RegExp(`${name}\\s+\\S+\\s+ready`));
    }
    expect(output).toContain("MOCK model");
    expect(output).toContain(join(dir, ".ark", "kubeconfig"));

    await writeFile(join(dir, "stack.yaml"), modelAgentQuery(model.url, "what is ARK?", { builtInTools: ["noop"] }));
    kubectl("apply", "-f", join(dir, "stack.yaml"));

    const query = await finishedQuery({ url: `http://127.0.0.1:${ports["ark-api"]}`, apiKey: await apiKey() }, "default", "e2e-q", { timeout: 60_000, interval: 250 });
    expect(query.status).toMatchObject({ phase: "done", response: { content: "mock: what is ARK?" } });

    model.script({ toolCalls: [{ name: "noop", arguments: { message: "checking" } }] });
    const asked = await ark("query", "agent/e2e-agent", "hello from the cli");
    expect(asked.stderr).toContain("▶ agent e2e-agent");
    expect(asked.stderr).toMatch(/⚙ e2e-agent calls noop\(\{"message":"checking"\}\)/);
    expect(asked.stderr).toMatch(/✓ noop \(/);
    expect({ code: asked.code, stdout: asked.stdout }).toEqual({ code: 0, stdout: "mock: hello from the cli\n" });

    await mkdir(join(dir, "more"), { recursive: true });
    await writeFile(join(dir, "more", "agent.yaml"), "apiVersion: ark.mckinsey.com/v1alpha1\nkind: Agent\nmetadata: { name: applied }\nspec: { prompt: Applied by ark., modelRef: { name: default } }\n");
    expect(await ark("apply", "-f", join(dir, "more"))).toMatchObject({ code: 0, stdout: "agent/applied created\n" });
    expect((await ark("get", "agent", "applied", "-o", "yaml")).stdout).toContain("prompt: Applied by ark.");
    expect(await ark("delete", "agent", "applied")).toMatchObject({ code: 0, stdout: "agent/applied deleted\n" });
    const status = await ark("status");
    expect(status.code).toBe(0);
    for (const name of SERVICES) expect(status.stdout).toMatch(new RegExp(`${name}\\s+\\S+\\s+ready`));

    // The stack's Evaluator points at evaluator-llm, which wants a namespace token.
    const evaluator = JSON.parse(kubectl("get", "evaluator", "evaluator-llm", "-o", "json")) as { spec: { address: { value: string } } };
    expect(evaluator.spec.address.value).toBe(`http://127.0.0.1:${ports["evaluator-llm"]}/evaluate`);
    expect((await fetch(evaluator.spec.address.value, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(401);

    // `ark chat`: turns share one session, kept by the stack's `default` Memory (postgres-memory), so the second
    // turn's model request carries the first exchange.
    model.reset();
    const chat = await ark({ stdin: "My name is Ada.\nWhat is my name?\n/exit\n" }, "chat", "agent/e2e-agent");
    expect({ code: chat.code, stdout: chat.stdout.replace(/you> /g, "") }).toEqual({
      code: 0,
      stdout: "e2e-agent> mock: My name is Ada.\ne2e-agent> mock: What is my name?\n",
    });
    const chatTurns = model.requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => (r.body as { messages: { role: string; content?: unknown }[] }).messages);
    expect(chatTurns).toHaveLength(2);
    expect(chatTurns[1]!.filter((m) => m.role !== "system")).toMatchObject([
      { role: "user", content: "My name is Ada." },
      { role: "assistant", content: "mock: My name is Ada." },
      { role: "user", content: "What is my name?" },
    ]);

    // The ExecutionEngine ark dev creates: probed ready, and an agent it runs (LangChain.js) answers through its Model.
    const enginePhase = () => kubectl("get", "executionengine", "executor-langchain", "-o", "jsonpath={.status.phase}");
    await expect.poll(enginePhase, { timeout: 60_000, interval: 100, message: "executor-langchain's phase" }).toBe("ready");
    await writeFile(
      join(dir, "engine-agent.yaml"),
      "apiVersion: ark.mckinsey.com/v1alpha1\nkind: Agent\nmetadata: { name: lc-agent }\nspec: { prompt: Be brief., modelRef: { name: e2e-mock }, executionEngine: { name: executor-langchain } }\n",
    );
    kubectl("apply", "-f", join(dir, "engine-agent.yaml"));
    const viaEngine = await ark("query", "agent/lc-agent", "hello engine");
    expect({ code: viaEngine.code, stdout: viaEngine.stdout }).toEqual({ code: 0, stdout: "mock: hello engine\n" });

    const missing = await ark("query", "agent/absent", "x");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/absent/);

    expect(await stopDev()).toBe(0);

    await startDev();
    expect(kubectl("get", "agents", "-o", "name")).toContain("agent.ark.mckinsey.com/e2e-agent");
    expect((await api("/v1/namespaces/default/queries/e2e-q")).status).toMatchObject({ phase: "done" });
    expect(await api("/v1/namespaces/default/models/default")).toMatchObject({ name: "default", type: "openai" });
    const throughGateway = (headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${ports["localhost-gateway"]}/api/v1/namespaces/default/agents/e2e-agent`, { headers });
    expect((await throughGateway()).status).toBe(401);
    expect((await throughGateway({ authorization: `Bearer ${await apiKey()}` })).status).toBe(200);
    const listed = await ark("get", "agents");
    expect(listed.stdout).toMatch(/^NAME\s+AGE\n(.*\n)*e2e-agent\s+\S+/m);
    expect(await stopDev()).toBe(0);
  });
});

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("ark dev did not stop within 60 s")), 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
