import { silentLog, type Log } from "../logging/create-logger.js";
import { embeddedDataDir } from "./data-dir.js";
import { startEmbeddedPostgres } from "./embedded-postgres.js";

export interface ResolvedDatabase {
  url: string;
  source: "env" | "embedded";
  /** Stops the embedded server; nothing for DATABASE_URL. */
  stop(): Promise<void>;
}

function redact(url: string): string {
  if (!URL.canParse(url)) return "(unparseable URL)";
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

/** DATABASE_URL when set, else the embedded PostgreSQL of ARK_HOME (`embeddedDataDir`); logs which one. */
export async function resolveDatabase(options: { databaseUrl?: string | undefined; arkHome: string; databaseName?: string; logger?: Log }): Promise<ResolvedDatabase> {
  const log = options.logger ?? silentLog;
  if (options.databaseUrl) {
    log.info({ database: redact(options.databaseUrl) }, "using the PostgreSQL from DATABASE_URL");
    return { url: options.databaseUrl, source: "env", stop: async () => {} };
  }
  const dataDir = await embeddedDataDir(options.arkHome);
  const server = await startEmbeddedPostgres({ dataDir, logger: log, ...(options.databaseName ? { databaseName: options.databaseName } : {}) });
  log.info({ dataDir, port: server.port }, "DATABASE_URL is unset: using the embedded PostgreSQL");
  return { url: server.url, source: "embedded", stop: server.stop };
}
