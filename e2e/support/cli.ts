import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { vi } from "vitest";
import { freePort } from "@ark/service-kit";

// Drives ARK as a user does: the `ark` CLI (packages/cli/bin/ark.js) and the real kubectl.
const REPO = join(import.meta.dirname, "..", "..");
const ARK_BIN = join(REPO, "packages", "cli", "bin", "ark.js");
const KUBECTL = "/usr/bin/kubectl";
export const hasKubectl = existsSync(KUBECTL);

/** Everything `ark dev` reads from the environment to pick providers, state and ports: tests start from none of it. */
const STACK_VARIABLES = [
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "AZURE_OPENAI_API_KEY",
  "AZURE_OPENAI_ENDPOINT",
  "ANTHROPIC_API_KEY",
  "OLLAMA_BASE_URL",
  "PORT",
  "ARK_HOME",
  "ARK_PORT_OFFSET",
  "ARK_SERVER",
  "DATABASE_URL",
  "NATS_URL",
  "KUBECONFIG",
];
export const DEV_SERVICES = [
  "ark-apiserver",
  "ark-api",
  "ark-controller",
  "postgres-memory",
  "filesys-mcp",
  "mock-model",
  "ark-mcp",
  "ark-api-a2a",
  "localhost-gateway",
  "evaluator-llm",
  "executor-langchain",
  "ark-dashboard",
];

/** The process environment without the stack's variables, every dev service on a free port (ARK_PORT_<NAME>). */
export async function devEnvironment(extra: Record<string, string> = {}): Promise<{ env: NodeJS.ProcessEnv; ports: Record<string, number> }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "info" };
  for (const name of STACK_VARIABLES) delete env[name];
  const ports: Record<string, number> = {};
  for (const name of DEV_SERVICES) {
    ports[name] = await freePort();
    env[`ARK_PORT_${name.toUpperCase().replace(/-/g, "_")}`] = String(ports[name]);
  }
  return { env: { ...env, ...extra }, ports };
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `ark <args>` in `cwd`, to completion. */
export function ark(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ARK_BIN, ...args], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`ark ${args.join(" ")} did not finish within ${options.timeoutMs ?? 60_000} ms:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `kubectl --kubeconfig <kubeconfig> <args>`; throws with kubectl's stderr when it fails. */
export function kubectl(kubeconfig: string, ...args: string[]): string {
  const result = spawnSync(KUBECTL, ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8", timeout: 60_000 });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")}: ${result.stderr || result.error?.message}`);
  return result.stdout;
}

/** kubectl's exit code and output, for commands whose non-zero exit is an answer (`auth can-i` says no with 1). */
export function kubectlAnswer(kubeconfig: string, ...args: string[]): { code: number | null; stdout: string } {
  const result = spawnSync(KUBECTL, ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout.trim() };
}

export interface DevProcess {
  child: ChildProcess;
  /** Everything it printed (stdout and stderr) so far. */
  output(): string;
  /** Ctrl-C as a terminal sends it: SIGINT to the whole process group; resolves with the exit code. */
  interrupt(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL to the group (cleanup after a failure). */
  kill(): Promise<void>;
}

const DEV_READY_LINE = "ARK dev stack ready";

/** `ark dev` in `cwd`, leading its own process group as a shell's foreground job; resolves once it printed it is ready. */
export async function startDev(options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<DevProcess> {
  const child = spawn(process.execPath, [ARK_BIN, "dev"], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is gone already
    }
  };
  const dev: DevProcess = {
    child,
    output: () => output,
    async interrupt(timeoutMs = 60_000) {
      group("SIGINT");
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`ark dev did not stop within ${timeoutMs} ms:\n${output}`)), timeoutMs)));
      try {
        return await Promise.race([exited, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) group("SIGKILL");
      await exited;
    },
  };
  try {
    await vi.waitFor(
      () => {
        if (!output.includes(DEV_READY_LINE) && child.exitCode === null) throw new Error(`ark dev did not get ready:\n${output}`);
      },
      { timeout: options.timeoutMs ?? 150_000, interval: 250 },
    );
  } catch (err) {
    await dev.kill();
    throw err;
  }
  if (!output.includes(DEV_READY_LINE)) throw new Error(`ark dev exited with ${child.exitCode}:\n${output}`);
  return dev;
}

/** Lines a service logged at error level or above (pino's JSON levels 50 and 60). */
export function errorLines(output: string): string[] {
  return output.split("\n").filter((line) => /"level":(50|60)/.test(line) || /\b57P01\b/.test(line));
}
