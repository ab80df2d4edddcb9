import { randomBytes } from "node:crypto";
import { dropDatabase, listTestDatabases, TEST_DATABASE_PREFIX } from "./database.js";
import { findTestNats, type NatsSource, type TestNats } from "./nats.js";
import { getTestPostgres, type PostgresSource, type TestPostgres } from "./postgres.js";
import { errorMessage, redactUrl, servicesRequired } from "./require-services.js";

/** What a test run knows about its services; serializable, handed to tests by vitest `provide`. */
export interface TestServicesContext {
  postgres: { url: string; source: PostgresSource } | null;
  /** Why there is no Postgres, when there is none. */
  postgresUnavailable?: string;
  nats: { url: string; source: NatsSource } | null;
  natsUnavailable?: string;
  /** REQUIRE_SERVICES was set: a missing service fails instead of skipping. */
  required: boolean;
  /** Part of every test database name created in this run, so teardown can drop leftovers. */
  runId: string;
}

export interface StartedTestServices {
  context: TestServicesContext;
  /** One line saying where each service came from, or why it is missing. */
  summary: string;
  stop(): Promise<void>;
}

/** Resolves Postgres and NATS for a whole test run; throws when REQUIRE_SERVICES is set and one is missing. */
export async function startTestServices(): Promise<StartedTestServices> {
  const required = servicesRequired();
  const [postgresResult, natsResult] = await Promise.allSettled([getTestPostgres(), findTestNats()]);
  const started: Array<TestPostgres | TestNats> = [];
  const context: TestServicesContext = { postgres: null, nats: null, required, runId: randomBytes(3).toString("hex") };
  const explicitErrors: string[] = [];

  if (postgresResult.status === "fulfilled") {
    started.push(postgresResult.value);
    context.postgres = { url: postgresResult.value.url, source: postgresResult.value.source };
  } else {
    context.postgresUnavailable = errorMessage(postgresResult.reason);
    if (process.env.DATABASE_URL) explicitErrors.push(context.postgresUnavailable);
  }
  const nats = natsResult.status === "fulfilled" ? natsResult.value : { unavailable: errorMessage(natsResult.reason) };
  if ("unavailable" in nats) {
    context.natsUnavailable = nats.unavailable;
    if (process.env.NATS_URL) explicitErrors.push(nats.unavailable);
  } else {
    started.push(nats);
    context.nats = { url: nats.url, source: nats.source };
  }

  const stop = async (): Promise<void> => {
    if (context.postgres) await dropRunDatabases(context.postgres.url, context.runId);
    await Promise.allSettled(started.map((service) => service.stop()));
  };

  // A URL that was set but does not work is a broken setup, not a reason to skip.
  const missing = required ? [...(context.postgres ? [] : [`PostgreSQL: ${context.postgresUnavailable}`]), ...(context.nats ? [] : [`NATS: ${context.natsUnavailable}`])] : explicitErrors;
  if (missing.length) {
    await stop();
    const why = required ? "REQUIRE_SERVICES is set and a service is missing" : "a configured service does not work";
    throw new Error(`[@ark/testing] ${why}:\n  ${missing.join("\n  ")}`);
  }
  return { context, summary: describeServices(context), stop };
}

export function describeServices(context: TestServicesContext): string {
  const postgres = context.postgres ? `${context.postgres.source} (${redactUrl(context.postgres.url)})` : `unavailable, suites that need it are skipped: ${context.postgresUnavailable}`;
  const nats = context.nats ? `${context.nats.source} (${redactUrl(context.nats.url)})` : `unavailable, suites that need it are skipped: ${context.natsUnavailable}`;
  return `[@ark/testing] postgres: ${postgres}; nats: ${nats}`;
}

function runDatabasePrefix(runId: string): string {
  return `${TEST_DATABASE_PREFIX}${runId}_`;
}

async function dropRunDatabases(serverUrl: string, runId: string): Promise<void> {
  try {
    const leftovers = await listTestDatabases(serverUrl, runDatabasePrefix(runId));
    for (const name of leftovers) await dropDatabase(serverUrl, name);
    if (leftovers.length) {
      console.warn(`[@ark/testing] dropped ${leftovers.length} test database(s) a suite left behind: ${leftovers.join(", ")}`);
    }
  } catch (error) {
    console.warn(`[@ark/testing] could not clean up test databases: ${errorMessage(error)}`);
  }
}
