import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { platform } from "node:os";
import { setTimeout as delay } from "node:timers/promises";
import type { OsUser } from "./os-user.js";

export interface PostmasterOptions {
  /** The `postgres` binary (see postgresBinaries). */
  postgres: string;
  dataDir: string;
  port: number;
  /** Extra `postgres` arguments (e.g. `-c name=value`). */
  flags: readonly string[];
  /** Run as this OS user (PostgreSQL refuses root). */
  user?: OsUser | undefined;
  onLog(line: string): void;
}

export interface Postmaster {
  pid: number;
  /** Resolves once the server accepts connections; rejects when it exits first. */
  ready: Promise<void>;
  /** Resolves when the server process exits, however it ends, with how (`signal SIGKILL`, `code 1`). */
  exited: Promise<string>;
  /**
   * Smart shutdown (SIGTERM: no new sessions, the open ones end on their own), fast (SIGINT: sessions are ended) if
   * some are still open after `smartMs`, SIGKILL after `fastMs` more. Idempotent. Smart first because a pool's end()
   * resolves before its connections are closed: a fast shutdown then ends them with 57P01 errors in the services' logs.
   */
  stop(options?: { smartMs?: number; fastMs?: number }): Promise<void>;
}

const READY_MESSAGE = "database system is ready to accept connections";

let pdeathsig: boolean | undefined;
/** Linux's util-linux `setpriv --pdeathsig`: the server gets SIGINT when its parent dies, however it dies. */
export function hasPdeathsig(): boolean {
  if (pdeathsig === undefined) {
    const probe = platform() === "linux" ? spawnSync("setpriv", ["--pdeathsig", "SIGINT", "--", "true"], { stdio: "ignore", timeout: 5_000 }) : undefined;
    pdeathsig = probe?.status === 0;
  }
  return pdeathsig;
}

/**
 * Starts the postmaster in a session of its own (`detached`): a Ctrl-C at the terminal reaches the Node process
 * group, not PostgreSQL, so the services close their pools before the server goes away. The owner stops it with
 * `stop()` (and at process exit); on Linux it also gets SIGINT when its parent dies (SIGKILL, crash), so a killed
 * stack leaves no server behind; elsewhere the next start stops such a server (recoverStalePostmaster).
 */
export async function startPostmaster(options: PostmasterOptions): Promise<Postmaster> {
  const { postgres } = options;
  const args = ["-D", options.dataDir, "-p", String(options.port), ...options.flags];
  const [command, commandArgs] = hasPdeathsig() ? ["setpriv", ["--pdeathsig", "SIGINT", "--", postgres, ...args]] : [postgres, args];
  const child: ChildProcess = spawn(command, commandArgs, {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // English server messages: readiness is read from the log.
    env: { ...process.env, LC_MESSAGES: "C" },
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
  });
  const ended = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`)));
  const exited = ended.then(() => undefined);
  // At process exit nothing async runs any more: a signal is all that can be sent.
  const killAtExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
  };
  process.on("exit", killAtExit);
  void exited.then(() => process.off("exit", killAtExit));

  const ready = new Promise<void>((resolve, reject) => {
    let pending = "";
    const onData = (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.trim()) continue;
        options.onLog(line);
        if (line.includes(READY_MESSAGE)) resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code, signal) => reject(new Error(`postgres exited (${signal ?? `code ${code}`})`)));
  });
  if (child.pid === undefined) {
    await ready; // spawn failed: rejects with the error
    throw new Error("postgres did not start");
  }

  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid,
    ready,
    exited: ended,
    stop({ smartMs = 10_000, fastMs = 20_000 } = {}) {
      stopping ??= (async () => {
        for (const [signal, waitMs] of [
          ["SIGTERM", smartMs],
          ["SIGINT", fastMs],
          ["SIGKILL", Infinity],
        ] as const) {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill(signal);
          if (await exitsWithin(exited, waitMs)) return;
        }
      })();
      return stopping;
    },
  };
}

async function exitsWithin(exited: Promise<void>, ms: number): Promise<boolean> {
  if (ms === Infinity) return exited.then(() => true);
  const late = new AbortController();
  try {
    return await Promise.race([exited.then(() => true as const), delay(ms, false as const, { signal: late.signal })]);
  } finally {
    late.abort();
  }
}
