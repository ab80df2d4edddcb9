import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { setTimeout as delay } from "node:timers/promises";
import type { Log } from "../logging/create-logger.js";
import { isProcessAlive as isAlive } from "../process-alive.js";

const run = promisify(execFile);

async function processInfo(pid: number): Promise<{ ppid: number; command: string } | undefined> {
  try {
    const { stdout } = await run("ps", ["-o", "ppid=,comm=", "-p", String(pid)]);
    const match = /^\s*(\d+)\s+(.+)$/.exec(stdout.trim());
    return match ? { ppid: Number(match[1]), command: match[2]!.trim() } : undefined;
  } catch {
    return undefined;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (!isAlive(pid)) return true;
    await delay(50);
  }
  return !isAlive(pid);
}

export type PostmasterState = { running: false } | { running: true; pid: number; port: number };

/**
 * Makes a data dir startable after a crash: removes a postmaster.pid whose process is gone (or is not postgres),
 * and stops a postgres orphaned by a killed process. A server still owned by a live process is reported as running.
 */
export async function recoverStalePostmaster(dataDir: string, log: Log): Promise<PostmasterState> {
  const pidFile = join(dataDir, "postmaster.pid");
  const content = await readFile(pidFile, "utf8").catch(() => undefined);
  if (content === undefined) return { running: false };
  const lines = content.split("\n");
  const pid = Number(lines[0]);
  const postmaster = Number.isInteger(pid) && pid > 0 && isAlive(pid) ? await processInfo(pid) : undefined;
  if (!postmaster || !postmaster.command.includes("postgres")) {
    await rm(pidFile, { force: true });
    log.warn({ dataDir, pid }, "removed a stale postmaster.pid: its process is gone");
    return { running: false };
  }
  const port = Number(lines[3]);
  const parent = postmaster.ppid > 1 && isAlive(postmaster.ppid) ? await processInfo(postmaster.ppid) : undefined;
  if (postmaster.ppid === process.pid || (parent && /node|tsx|bun|deno/i.test(parent.command))) {
    return { running: true, pid, port };
  }
  log.warn({ dataDir, pid }, "stopping a PostgreSQL left running by a killed process");
  process.kill(pid, "SIGINT");
  if (!(await waitForExit(pid, 15_000))) {
    process.kill(pid, "SIGKILL");
    await waitForExit(pid, 5_000);
    await rm(pidFile, { force: true });
  }
  return { running: false };
}
