import { dockerAvailable } from "./docker.js";
import { startEmbeddedTestPostgres } from "./embedded-postgres.js";
import { errorMessage, redactUrl } from "./require-services.js";

export type PostgresSource = "env" | "testcontainers" | "embedded";

export interface TestPostgres {
  url: string;
  source: PostgresSource;
  /** Stops what was started (a container or an embedded server); nothing for `env`. */
  stop(): Promise<void>;
}

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
  return startEmbeddedTestPostgres().catch((error: unknown) => {
    throw new Error(`no PostgreSQL for tests: DATABASE_URL is unset, ${docker.reason}, and the embedded PostgreSQL failed: ${errorMessage(error)}`, { cause: error });
  });
}

async function checkPostgres(url: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query("select 1");
  } finally {
    await client.end();
  }
}
