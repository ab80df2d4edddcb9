import { spawn, type ChildProcess } from "node:child_process";
import { access } from "node:fs/promises";
import { join } from "node:path";

const repo = join(import.meta.dirname, "..", "..");

export interface ServiceProcess {
  child: ChildProcess;
  /** With `heapProbe`: the heap the process holds after a full GC (e2e/bench/heap-probe.ts). */
  heapUsedBytes(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A service's `src/main.ts` in its own process, as a deployment runs it; ready once `ready()` holds.
 * `heapProbe`: the process answers `heapUsedBytes()` over an IPC channel (it runs with --expose-gc for it).
 */
export async function startServiceProcess(service: string, env: Record<string, string>, ready: () => Promise<boolean>, options: { heapProbe?: boolean; fromDist?: boolean } = {}): Promise<ServiceProcess> {
  // BENCH_CPU_PROF=dir: each service writes V8 CPU profiles (main thread and loader thread) to dir/<service>-<roles>/ when it exits.
  const profileDir = process.env.BENCH_CPU_PROF && join(process.env.BENCH_CPU_PROF, `${service}-${env.ARK_CONTROLLER_ROLES ?? "all"}`);
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const probe = options.heapProbe ? ["--expose-gc", "--import", join(import.meta.dirname, "heap-probe.mjs")] : [];
  // fromDist: `node dist/main.js` as the image runs it (tsc's output, workspace packages from their dist/); the caller built it.
  const entry = options.fromDist ? ["dist/main.js"] : ["--conditions=@ark/source", "--import", "tsx", "src/main.ts"];
  const child = spawn(process.execPath, [...profile, ...probe, ...entry], {
    cwd: join(repo, "services", service),
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "inherit", "inherit", ...(options.heapProbe ? ["ipc" as const] : [])],
  });
  const exited = new Promise<void>((done) => child.on("exit", () => done()));
  for (let i = 0; !(await ready().catch(() => false)); i++) {
    if (child.exitCode !== null || i > 1200) {
      // Given up on: not left running behind the caller's back.
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
      throw new Error(`${service} did not start (${child.exitCode !== null ? `exit code ${child.exitCode}` : `signal ${child.signalCode}`})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    heapUsedBytes: () =>
      new Promise((answer, fail) => {
        if (!options.heapProbe) return fail(new Error(`${service}: started without heapProbe`));
        child.once("message", (message: { heapUsedBytes: number }) => answer(message.heapUsedBytes));
        child.send("heap");
      }),
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

export const fileExists = (path: string) => access(path).then(() => true);

export async function ready(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/ready`);
  return response.ok;
}
