import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, expect } from "vitest";
import { startApiServerForTest, type TestApiServer } from "./api-server.js";

const KUBECTL = process.env.KUBECTL ?? "/usr/bin/kubectl";

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl (no shell) against one kubeconfig, with a private discovery cache. */
export function kubectlFor(kubeconfig: string, cacheDir: string) {
  const base = ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir];
  return (args: readonly string[], input?: string): Promise<KubectlResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(KUBECTL, [...base, ...args], { stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input ?? "");
    });
}

/** A long-running kubectl (get -w, delete --wait) whose output is collected as it arrives. */
export function startKubectl(kubeconfig: string, cacheDir: string, args: readonly string[]) {
  const child = spawn(KUBECTL, ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: (() => void)[] = [];
  const notify = () => waiters.splice(0).forEach((wake) => wake());
  child.stdout.on("data", (chunk: Buffer) => ((stdout += chunk.toString()), notify()));
  child.stderr.on("data", (chunk: Buffer) => ((stderr += chunk.toString()), notify()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => (notify(), resolve(code))));
  return {
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
    /** Resolves once stdout matches; rejects if kubectl exits first. */
    async waitForOutput(pattern: RegExp): Promise<string> {
      while (!pattern.test(stdout)) {
        if (!(child.exitCode === null && child.signalCode === null)) {
          throw new Error(`kubectl ${args.join(" ")} exited (${child.exitCode}) before printing ${pattern}:\n${stdout}\n${stderr}`);
        }
        await new Promise<void>((wake) => waiters.push(wake));
      }
      return stdout;
    },
    stop(): Promise<number | null> {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** A kubectl call that must succeed (empty stderr, exit 0); its stdout. */
export function expectOk(result: KubectlResult): string {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result.stdout;
}

/**
 * A suite's own database, server and kubectl (with a namespace created), set up in beforeAll and removed in afterAll.
 * Read the fields inside tests (they are set once beforeAll ran); `tmp` is a directory for the suite's files.
 */
export function useKubectlSuite(label: string, namespace: string): { readonly tmp: string; readonly kubectl: ReturnType<typeof kubectlFor> } {
  const state: { db?: TestDatabase; tmp?: string; server?: TestApiServer; kubectl?: ReturnType<typeof kubectlFor> } = {};
  beforeAll(async () => {
    state.db = await createTestDatabase({ label });
    state.tmp = await mkdtemp(join(tmpdir(), `ark-${label}-`));
    state.server = await startApiServerForTest({ databaseUrl: state.db.url, arkHome: join(state.tmp, "ark") });
    state.kubectl = kubectlFor(state.server.kubeconfigPath, join(state.tmp, "cache"));
    expectOk(await state.kubectl(["create", "namespace", namespace]));
  });
  afterAll(async () => {
    await state.server?.close();
    await state.db?.drop();
    if (state.tmp) await rm(state.tmp, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useKubectlSuite: the suite starts in beforeAll");
    return value;
  };
  return {
    get tmp() {
      return started(state.tmp);
    },
    get kubectl() {
      return started(state.kubectl);
    },
  };
}
