import { fileURLToPath } from "node:url";
import type { ViteUserConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript sources in tests (no build needed first). No "module"
// condition: Node does not use it at run time, and @opentelemetry/api's "module" build cannot load in Node.
const conditions = ["@ark/source", "node", "development|production"];

// Resolves Postgres and NATS once per run (shared across projects) and provides them to tests:
// see packages/testing/src/vitest/ and use `testPostgres()` / `testNats()` from "@ark/testing/vitest".
export const testServicesGlobalSetup = fileURLToPath(new URL("./packages/testing/src/vitest/global-setup.ts", import.meta.url));

export const sharedProjectConfig = {
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  // Vitest's own environment loads globalSetup files; without this it resolves workspace packages to dist/.
  environments: { __vitest__: { resolve: { conditions } } },
  test: {
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    globalSetup: [testServicesGlobalSetup],
  },
} satisfies ViteUserConfig;
