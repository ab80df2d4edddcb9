import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { checkDependencyRules, importsOf, readWorkspace } from "./support/dependency-rules.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

// A throw-away workspace: a map of path → file text (package.json given as objects).
const fixtures: string[] = [];
function workspace(files: Record<string, string | object>): string {
  const dir = mkdtempSync(join(tmpdir(), "ark-deps-"));
  fixtures.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}
afterEach(() => {
  for (const dir of fixtures.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const pkg = (name: string, extra: object = {}) => ({ name, exports: { ".": { "@ark/source": "./src/index.ts" } }, ...extra });
// The smallest workspace the rules apply to, with no violation; each fixture below adds one.
const base = {
  "packages/types/package.json": pkg("@ark/types"),
  "packages/types/src/index.ts": "export const x = 1;\n",
  "packages/testing/package.json": pkg("@ark/testing"),
  "packages/testing/src/index.ts": "export const mock = 1;\n",
  "packages/kube/package.json": pkg("@ark/kube", { dependencies: { "@ark/types": "workspace:*" } }),
  "packages/kube/src/index.ts": 'import { x } from "@ark/types";\n',
  "packages/gotemplate/package.json": pkg("@ark/gotemplate", { dependencies: { yaml: "2.9.1" } }),
  "packages/gotemplate/src/index.ts": 'import { stringify } from "yaml";\n',
  "packages/gotemplate/src/index.test.ts": 'import { render } from "./index.js";\n',
  "packages/engine/package.json": pkg("@ark/engine", {
    dependencies: { "@ark/types": "workspace:*", "@ark/gotemplate": "workspace:*" },
    devDependencies: { "@ark/testing": "workspace:*" },
  }),
  "packages/engine/src/index.ts": 'export * from "./agent.js";\n',
  "packages/engine/src/agent.ts": 'import { x } from "@ark/types";\nimport { TemplateSet } from "@ark/gotemplate";\n',
  "packages/engine/src/agent.test.ts": 'import { mock } from "@ark/testing";\n',
  "packages/cli/package.json": pkg("@ark/cli", { dependencies: { "@ark/ark-api": "workspace:*" } }),
  "packages/cli/src/index.ts": "export {};\n",
  "packages/cli/src/dev/services.ts": 'const { start } = await import("@ark/ark-api");\n',
  "packages/cli/src/test-support/stack.ts": 'import { start } from "@ark/ark-api";\n',
  "services/ark-api/package.json": pkg("@ark/ark-api"),
  "services/ark-api/src/index.ts": 'import { x } from "@ark/types";\n',
  "services/ark-controller/package.json": pkg("@ark/ark-controller"),
  "services/ark-controller/src/index.ts": 'import "./reconcilers/query.js";\n',
  "services/ark-controller/src/reconcilers/query.ts": 'import { QUERY_TIMING } from "../query-run/timing.js";\n',
  "services/ark-controller/src/query-run/timing.ts": "export const QUERY_TIMING = 1;\n",
  "services/ark-controller/src/worker/run-signal.ts": 'import { QUERY_TIMING } from "../query-run/timing.js";\n',
  // The test-only package that starts services for tests, and a service's test-support and an e2e test using it.
  "packages/test-stack/package.json": pkg("@ark/test-stack", { dependencies: { "@ark/ark-api": "workspace:*" } }),
  "packages/test-stack/src/index.ts": 'import { start } from "@ark/ark-api";\n',
  "services/ark-controller/src/test-support/api-stack.ts": 'import { startArkStack } from "@ark/test-stack";\n',
  "e2e/package.json": { name: "@ark/e2e", devDependencies: { "@ark/ark-api": "workspace:*", "@ark/test-stack": "workspace:*" } },
  "e2e/stack.test.ts": 'import { start } from "@ark/ark-api";\n',
  "e2e/bench/kit.ts": 'export { startArkStack } from "@ark/test-stack";\n',
};
const rulesBroken = (extra: Record<string, string | object>) => checkDependencyRules(readWorkspace(workspace({ ...base, ...extra })));

describe("dependency rules", () => {
  it("finds every form of import and ignores comments and strings", () => {
    const source = [
      'import a from "a";',
      'import type { B } from "b";',
      'import {\n  c,\n  d,\n} from "c";',
      'import "side-effect";',
      'export * from "./star.js";',
      'export { e } from "./e.js";',
      'export type { F } from "f";',
      'const g = await import("g");',
      'const h = require("h");',
      '// import z from "commented";',
      '/* export * from "block"; */',
      'const s = "import y from \\"in-a-string\\"";',
      'const t = `import(\\"in-a-template\\") ${await import("templated")}`;',
      'const ok = importer("not-an-import");',
    ].join("\n");
    expect(importsOf(source).sort()).toEqual(["./e.js", "./star.js", "a", "b", "c", "f", "g", "h", "side-effect", "templated"]);
  });

  it("passes a workspace that keeps every rule (fixture)", () => {
    expect(rulesBroken({})).toEqual([]);
  });

  it("fails when a package imports a service, in its code, its test support or package.json (fixture)", () => {
    const violations = rulesBroken({
      "packages/kube/package.json": pkg("@ark/kube", { devDependencies: { "@ark/ark-api": "workspace:*" } }),
      "packages/kube/src/test-support/api.ts": 'import { start } from "@ark/ark-api";\n',
      "packages/cli/src/commands/run.ts": 'export const load = () => import("@ark/ark-api");\n',
    });
    expect(violations).toEqual([
      { rule: "packages-import-no-services", where: "packages/cli/src/commands/run.ts", message: "imports the service @ark/ark-api" },
      { rule: "packages-import-no-services", where: "packages/kube/src/test-support/api.ts", message: "imports the service @ark/ark-api" },
      { rule: "packages-import-no-services", where: "packages/kube/package.json", message: "depends on the service @ark/ark-api" },
    ]);
  });

  it("fails when the engine's code imports a workspace package other than @ark/types and @ark/gotemplate (fixture)", () => {
    const violations = rulesBroken({
      "packages/engine/package.json": pkg("@ark/engine", { dependencies: { "@ark/types": "workspace:*", "@ark/kube": "workspace:*" } }),
      "packages/engine/src/agent.ts": 'import { x } from "@ark/types";\nimport { createArkClient } from "@ark/kube";\n',
      // Test helpers the shipped code does not reach count as tests; @ark/testing is fine there, @ark/kube is not.
      "packages/engine/src/providers/conformance.ts": 'import { mock } from "@ark/testing";\nimport { y } from "@ark/kube";\n',
      "packages/engine/src/index.ts": 'export * from "./agent.js";\nexport { mock } from "./leak.js";\n',
      "packages/engine/src/leak.ts": 'export { mock } from "@ark/testing";\n',
    });
    expect(violations.map((v) => `${v.where}: ${v.message}`)).toEqual([
      "packages/engine/src/agent.ts: imports @ark/kube",
      "packages/engine/src/leak.ts: imports @ark/testing",
      "packages/engine/src/providers/conformance.ts: imports @ark/kube",
      "packages/engine/package.json: depends on @ark/kube",
    ]);
    expect(new Set(violations.map((v) => v.rule))).toEqual(new Set(["engine-imports-only-types-and-gotemplate"]));
  });

  it("fails when @ark/gotemplate imports any workspace package, even in its tests (fixture)", () => {
    const violations = rulesBroken({
      "packages/gotemplate/package.json": pkg("@ark/gotemplate", { dependencies: { yaml: "2.9.1", "@ark/types": "workspace:*" }, devDependencies: { "@ark/testing": "workspace:*" } }),
      "packages/gotemplate/src/index.ts": 'import { stringify } from "yaml";\nimport { x } from "@ark/types";\n',
      "packages/gotemplate/src/index.test.ts": 'import { mock } from "@ark/testing";\n',
    });
    expect(violations).toEqual([
      { rule: "gotemplate-imports-no-workspace-package", where: "packages/gotemplate/src/index.test.ts", message: "imports @ark/testing" },
      { rule: "gotemplate-imports-no-workspace-package", where: "packages/gotemplate/src/index.ts", message: "imports @ark/types" },
      { rule: "gotemplate-imports-no-workspace-package", where: "packages/gotemplate/package.json", message: "depends on @ark/types" },
      { rule: "gotemplate-imports-no-workspace-package", where: "packages/gotemplate/package.json", message: "depends on @ark/testing" },
    ]);
  });

  it("fails when one of ark-controller's reconcilers imports its worker (fixture)", () => {
    const violations = rulesBroken({
      "services/ark-controller/src/reconcilers/query.ts": 'import { timeoutMessage } from "../worker/run-signal.js";\n',
      "services/ark-controller/src/reconcilers/nested/agent.ts": 'export * from "../../worker/index.js";\n',
    });
    expect(violations).toEqual([
      { rule: "reconcilers-import-no-worker", where: "services/ark-controller/src/reconcilers/nested/agent.ts", message: "imports ../../worker/index.js" },
      { rule: "reconcilers-import-no-worker", where: "services/ark-controller/src/reconcilers/query.ts", message: "imports ../worker/run-signal.js" },
    ]);
  });

  it("fails when @ark/test-stack is imported outside tests or is a runtime dependency (fixture)", () => {
    const violations = rulesBroken({
      "services/ark-api/package.json": pkg("@ark/ark-api", { dependencies: { "@ark/test-stack": "workspace:*" } }),
      "services/ark-api/src/index.ts": 'import { startArkStack } from "@ark/test-stack";\n',
      // Not a test file nor under test-support/, though only a test imports it.
      "services/ark-api/src/stack-helpers.ts": 'export { useArkStack } from "@ark/test-stack";\n',
      "services/ark-api/src/routes.test.ts": 'import { useArkStack } from "./stack-helpers.js";\n',
      "packages/kube/package.json": pkg("@ark/kube", { dependencies: { "@ark/types": "workspace:*", "@ark/test-stack": "workspace:*" } }),
    });
    expect(violations).toEqual([
      { rule: "test-stack-only-in-tests", where: "packages/kube/package.json", message: "depends on @ark/test-stack at run time (a devDependency only)" },
      { rule: "test-stack-only-in-tests", where: "services/ark-api/src/index.ts", message: "imports @ark/test-stack outside tests and test-support/" },
      { rule: "test-stack-only-in-tests", where: "services/ark-api/src/stack-helpers.ts", message: "imports @ark/test-stack outside tests and test-support/" },
      { rule: "test-stack-only-in-tests", where: "services/ark-api/package.json", message: "depends on @ark/test-stack at run time (a devDependency only)" },
    ]);
  });

  it("fails when a dashboard imports anything but ark-api's HTTP API (fixture)", () => {
    const ok = rulesBroken({
      "services/ark-dashboard/package.json": pkg("@ark/ark-dashboard", { dependencies: { react: "19.0.0" } }),
      "services/ark-dashboard/src/index.ts": 'import React from "react";\nimport { queryKind } from "@ark/types";\nexport const list = () => fetch("/v1/queries");\n',
      // Its tests start a whole stack.
      "services/ark-dashboard/src/browser.test.ts": 'import { createArkClient } from "@ark/kube";\n',
    });
    expect(ok).toEqual([]);
    const violations = rulesBroken({
      "services/ark-dashboard/package.json": pkg("@ark/ark-dashboard", { dependencies: { "@ark/kube": "workspace:*", "@kubernetes/client-node": "1.4.0" } }),
      "services/ark-dashboard/src/index.ts": 'import { createArkClient } from "@ark/kube";\nimport { queryKind } from "@ark/types";\nimport { connect } from "@nats-io/transport-node";\n',
    });
    expect(violations.map((v) => `${v.rule} ${v.where}: ${v.message.split(";")[0]}`)).toEqual([
      "dashboard-only-ark-api-http services/ark-dashboard/src/index.ts: imports @ark/kube",
      "dashboard-only-ark-api-http services/ark-dashboard/src/index.ts: imports @nats-io/transport-node",
      "dashboard-only-ark-api-http services/ark-dashboard/package.json: depends on @ark/kube",
      "dashboard-only-ark-api-http services/ark-dashboard/package.json: depends on @kubernetes/client-node",
    ]);
  });

  it("this repository keeps every rule", () => {
    const packages = readWorkspace(root);
    expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining(["@ark/engine", "@ark/ark-controller", "@ark/cli"]));
    expect(checkDependencyRules(packages)).toEqual([]);
  });
});
