import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

const projects = ["packages/*/vitest.config.ts", "services/*/vitest.config.ts"];
if (existsSync("e2e/vitest.config.ts")) projects.push("e2e/vitest.config.ts");

export default defineConfig({
  test: {
    projects,
  },
});
