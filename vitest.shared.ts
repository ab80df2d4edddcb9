import type { ViteUserConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript sources in tests (no build needed first).
const conditions = ["@ark/source", "module", "node", "development|production"];

export const sharedProjectConfig = {
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
} satisfies ViteUserConfig;
