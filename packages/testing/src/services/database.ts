import { randomBytes } from "node:crypto";
import { errorMessage, redactUrl } from "./require-services.js";

export interface TestDatabase {
  /** Connection URL of the fresh database. */
  url: string;
  name: string;
  /** Drops the database, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

export const TEST_DATABASE_PREFIX = "ark_test_";

export interface CreateTestDatabaseOptions {
  /** The server to create it on; defaults to DATABASE_URL (inside vitest, "@ark/testing/vitest" fills in the one the run resolved). */
  serverUrl?: string;
  /** Part of the name, to spot a leaked database. */
  label?: string;
  /** The run's id (from the vitest global setup), so the run's teardown drops what a suite left behind. */
  runId?: string;
}

/** `CREATE DATABASE ark_test_<random>` on the test server, so parallel test files never share tables. */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? process.env.DATABASE_URL;
  if (!serverUrl) {
    throw new Error('createTestDatabase: no PostgreSQL server: pass serverUrl, set DATABASE_URL, or use createTestDatabase from "@ark/testing/vitest"');
  }
  const label = (options.label ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 20);
  const runId = options.runId ? `${options.runId.toLowerCase().replace(/[^a-z0-9]+/g, "")}_` : "";
  const name = `${TEST_DATABASE_PREFIX}${runId}${label ? `${label}_` : ""}${randomBytes(6).toString("hex")}`;
  await withAdminClient(serverUrl, async (client) => {
    await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  }).catch((error: unknown) => {
    throw new Error(`cannot create test database ${name} on ${redactUrl(serverUrl)}: ${errorMessage(error)}`, {
      cause: error,
    });
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await dropDatabase(serverUrl, name);
    },
  };
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdminClient(serverUrl, async (client) => {
    try {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
    } catch {
      // Before PostgreSQL 13 there is no WITH (FORCE): end the sessions, then drop.
      await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
    }
  });
}

/** Names of the databases on the server whose name starts with `prefix` (for leak checks and clean-up). */
export async function listTestDatabases(serverUrl: string, prefix = TEST_DATABASE_PREFIX): Promise<string[]> {
  return withAdminClient(serverUrl, async (client) => {
    const result = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname", [prefix]);
    return result.rows.map((row) => row.datname);
  });
}

type AdminClient = import("pg").Client;

async function withAdminClient<T>(serverUrl: string, run: (client: AdminClient) => Promise<T>): Promise<T> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
