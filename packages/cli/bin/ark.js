#!/usr/bin/env node
// Runs the TypeScript sources through tsx (a fresh clone works without a build); dist/ only where src/ is absent.
import { existsSync } from "node:fs";
import { register } from "node:module";

const source = new URL("../src/main.ts", import.meta.url);
if (existsSync(source)) {
  const { register: registerTsx } = await import("tsx/esm/api");
  registerTsx();
  // Registered last, so it runs first: workspace packages resolve to their sources (the "@ark/source" export).
  register("./source-condition.js", import.meta.url);
  await import(source.href);
} else {
  await import(new URL("../dist/main.js", import.meta.url).href);
}
