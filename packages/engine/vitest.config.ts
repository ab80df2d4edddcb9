import { defineProject } from "vitest/config";
import { sharedProjectConfig } from "../../vitest.shared.js";

// The engine needs no Postgres or NATS: only the mock model server, started by the tests themselves.
export default defineProject({
  ...sharedProjectConfig,
  test: { ...sharedProjectConfig.test, name: "@ark/engine", globalSetup: [] },
});
