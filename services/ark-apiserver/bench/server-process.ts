import { freePort } from "@ark/service-kit";
import { spawn } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";

/** ark-apiserver as a child process (`src/main.ts`), ready once its kubeconfig is written. */
export async function startServerProcess(arkHome: string, databaseUrl: string) {
  const port = await freePort();
  // Ready is told by a new kubeconfig (a restart on the same home writes it again).
  await rm(join(arkHome, "kubeconfig"), { force: true });
  // BENCH_SERVER_NODE_ARGS: extra node flags for the server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p").
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
  const child = spawn(process.execPath, [...extra, "--conditions=@ark/source", "--import", "tsx", "src/main.ts"], {
    cwd: join(import.meta.dirname, ".."),
    env: { ...process.env, PORT: String(port), ARK_HOME: arkHome, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<void>((done) => child.on("exit", () => done()));
  for (let i = 0; ; i++) {
    const kubeconfig = await readFile(join(arkHome, "kubeconfig"), "utf8").catch(() => "");
    if (kubeconfig) break;
    if (child.exitCode !== null || i > 600) throw new Error("ark-apiserver did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!,
    url: `https://127.0.0.1:${port}`,
    token: (await readFile(join(arkHome, "apiserver-token"), "utf8")).trim(),
    caPem: await readFile(join(arkHome, "pki", "ca.crt"), "utf8"),
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
