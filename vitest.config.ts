import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { sharedProjectConfig, testServicesGlobalSetup } from "./vitest.shared.js";

const projects = ["packages/*/vitest.config.ts", "services/*/vitest.config.ts"];
if (existsSync("e2e/vitest.config.ts")) projects.push("e2e/vitest.config.ts");

export default defineConfig({
  // The root project runs the global setup too (so projects without vitest.shared.ts still get the
  // services); the setup keeps one instance per run however many projects list it.
  resolve: sharedProjectConfig.resolve,
  ssr: sharedProjectConfig.ssr,
  environments: sharedProjectConfig.environments,
  test: {
    projects,
    globalSetup: [testServicesGlobalSetup],
    // The summary reporter comes last: its "Tests: N passed, N failed, N skipped" is the run's final line.
    reporters: ["default", "./scripts/vitest-summary-reporter.ts"],
  },
});
