import { inject } from "vitest";
import { type CreateTestDatabaseOptions, createTestDatabase as createDatabaseOn, type TestDatabase } from "../services/database.js";
import type { NatsSource } from "../services/nats.js";
import type { PostgresSource } from "../services/postgres.js";
import { servicesRequired } from "../services/require-services.js";
import type { TestServicesContext } from "../services/test-services.js";
import { PROVIDED_KEY } from "./provided-context.js";

export type { TestServicesContext } from "../services/test-services.js";
export type { TestDatabase } from "../services/database.js";

/**
 * The services the run's global setup resolved. Without that setup (a config that does not use
 * vitest.shared.ts), falls back to DATABASE_URL / NATS_URL as given.
 */
export function testServices(): TestServicesContext {
  const provided = inject(PROVIDED_KEY) as TestServicesContext | undefined;
  if (provided) return provided;
  const unset = "the @ark/testing global setup did not run and the variable is unset";
  return {
    postgres: process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, source: "env" } : null,
    ...(process.env.DATABASE_URL ? {} : { postgresUnavailable: `DATABASE_URL: ${unset}` }),
    nats: process.env.NATS_URL ? { url: process.env.NATS_URL, source: "env" } : null,
    ...(process.env.NATS_URL ? {} : { natsUnavailable: `NATS_URL: ${unset}` }),
    required: servicesRequired(),
    runId: "norun",
  };
}

/** The test Postgres server, or null: `describe.skipIf(!testPostgres())(…)`. Throws when REQUIRE_SERVICES is set. */
export function testPostgres(): { url: string; source: PostgresSource } | null {
  const services = testServices();
  if (!services.postgres && services.required) {
    throw new Error(`REQUIRE_SERVICES is set but there is no PostgreSQL: ${services.postgresUnavailable}`);
  }
  return services.postgres;
}

/** The test NATS server (JetStream on), or null: `describe.skipIf(!testNats())(…)`. Throws when REQUIRE_SERVICES is set. */
export function testNats(): { url: string; source: NatsSource } | null {
  const services = testServices();
  if (!services.nats && services.required) {
    throw new Error(`REQUIRE_SERVICES is set but there is no NATS: ${services.natsUnavailable}`);
  }
  return services.nats;
}

/** A fresh database on the run's Postgres server; drop it in afterAll (the run's teardown drops leftovers). */
export async function createTestDatabase(options: Omit<CreateTestDatabaseOptions, "serverUrl"> = {}): Promise<TestDatabase> {
  const services = testServices();
  if (!services.postgres) {
    throw new Error(`createTestDatabase: no PostgreSQL for tests: ${services.postgresUnavailable}`);
  }
  return createDatabaseOn({ runId: services.runId, ...options, serverUrl: services.postgres.url });
}

export { engineContractSuite, type EngineUnderTest } from "../engine-contract/suite.js";
export { finishedQuery, WITHIN_TEST_TIMEOUT, type QueryReader } from "./finished-query.js";
