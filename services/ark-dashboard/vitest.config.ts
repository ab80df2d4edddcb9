import react from "@vitejs/plugin-react";
import { defineProject } from "vitest/config";
import { sharedProjectConfig } from "../../vitest.shared.js";

// Server and browser tests run in node; the components' tests say `@vitest-environment happy-dom`.
export default defineProject({
  ...sharedProjectConfig,
  plugins: [react()],
  test: { ...sharedProjectConfig.test, name: "@ark/ark-dashboard", include: ["src/**/*.test.ts", "web/**/*.test.ts", "web/**/*.test.tsx"] },
});
