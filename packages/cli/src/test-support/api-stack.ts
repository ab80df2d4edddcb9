import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import { arkApiConfig, start as startArkApi } from "@ark/ark-api";
import type { QueryBus } from "@ark/bus";
import { memoryConfig, start as startMemory } from "@ark/postgres-memory";
import { loadConfig } from "@ark/service-kit";
import { startArkStack } from "@ark/test-stack";
import type { QueryEvent } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";
import type { ArkClient, Query } from "@ark/kube";
import { WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { expect, vi } from "vitest";

const BIN = fileURLToPath(new URL("../../bin/ark.js", import.meta.url));

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** ark-apiserver, postgres-memory and ark-api in this process, and the `ark` binary run against them as a child. */
export interface ApiStack {
  kubeConfig: KubeConfig;
  /** The in-process query bus ark-api follows query events on (what a worker publishes to). */
  bus: QueryBus<QueryEvent>;
  memoryUrl: string;
  memoryAuthSecret: string;
  ark(...args: string[]): Promise<CliRun>;
  /** The binary on a pseudo-terminal (util-linux `script`), so it sees a TTY; `type` answers what it asks. */
  arkOnTerminal(...args: string[]): TerminalRun;
  close(): Promise<void>;
}

interface TerminalRun {
  /** Everything the terminal showed so far (stdout and stderr together, as a person sees them). */
  output(): string;
  /** Waits until the terminal shows `pattern` (after what it showed when the last wait matched). */
  shows(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Types a line, as a person pressing Enter. */
  type(line: string): void;
  exit: Promise<number | null>;
}

const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

function onTerminal(command: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): TerminalRun {
  // -q quiet, -f flush at once, -e the child's exit code, -c the command; the typescript goes nowhere.
  const child: ChildProcessWithoutNullStreams = spawn("script", ["-qfec", command.map(quote).join(" "), "/dev/null"], { ...options, stdio: "pipe" });
  let shown = "";
  let seen = 0;
  child.stdout.on("data", (c: Buffer) => (shown += c.toString()));
  child.stderr.on("data", (c: Buffer) => (shown += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return {
    output: () => shown,
    exit,
    type: (line) => void child.stdin.write(`${line}\r`),
    async shows(pattern, timeoutMs = 30_000) {
      // Ends early (with no match) once the binary has exited: what it showed is then final.
      const match = await vi.waitFor(
        () => {
          const found = pattern.exec(shown.slice(seen));
          if (found || child.exitCode !== null) return found;
          throw new Error(`the terminal has not shown ${String(pattern)}; it showed:\n${shown}`);
        },
        { timeout: timeoutMs, interval: 20 },
      );
      if (!match) throw new Error(`the terminal exited (${child.exitCode}) without showing ${String(pattern)}; it showed:\n${shown}`);
      seen += match.index + match[0].length;
    },
  };
}

export async function startApiStack(label: string): Promise<ApiStack> {
  const stack = await startArkStack({ label });
  const { kubeConfig, bus, arkHome: home } = stack;
  const memoryAuthSecret = "m".repeat(40);
  let memoryUrl: string;
  let apiUrl: string;
  try {
    const memoryDb = await stack.database(`${label}-memory`);
    const memory = await startMemory(loadConfig(memoryConfig, { PORT: "0", LOG_LEVEL: "warn", DATABASE_URL: memoryDb.url, MEMORY_AUTH_SECRET: memoryAuthSecret }));
    stack.onStop(() => memory.stop());
    const api = await startArkApi(loadConfig(arkApiConfig, { PORT: "0", LOG_LEVEL: "warn", ARK_API_AUTH: "none", RATE_LIMIT_PER_MINUTE: "0", MEMORY_AUTH_SECRET: memoryAuthSecret }), { bus, kubeConfig });
    stack.onStop(async () => {
      api.service.app.server.closeAllConnections();
      await api.stop().catch(() => undefined);
    });
    memoryUrl = memory.url;
    apiUrl = api.url;
  } catch (err) {
    await stack.stop();
    throw err;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, ARK_SERVER: apiUrl, NO_COLOR: "1" };
  for (const name of ["ARK_NAMESPACE", "ARK_API_KEY"]) delete env[name];
  return {
    kubeConfig,
    bus,
    memoryUrl,
    memoryAuthSecret,
    ark: (...args) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: home, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        child.on("exit", (code) => resolve({ code, stdout, stderr }));
      }),
    arkOnTerminal: (...args) => onTerminal([process.execPath, BIN, ...args], { cwd: home, env: { ...env, TERM: "xterm" } }),
    close: () => stack.stop(),
  };
}

/** The query in `default` the CLI under test created: the first one whose name is not in `known`. */
export function queryCreatedAfter(ark: ArkClient, known: ReadonlySet<string>): Promise<Query> {
  return vi.waitFor(
    async () => {
      const created = (await ark.queries.list("default")).find((q) => !known.has(q.metadata.name!));
      expect(created, "the query the CLI created").toBeDefined();
      return created!;
    },
    { ...WITHIN_TEST_TIMEOUT, interval: 20 },
  );
}
