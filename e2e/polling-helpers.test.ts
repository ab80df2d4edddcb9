import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { checkPollingHelpers } from "./support/polling-helpers.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

// A throw-away workspace: a map of path → file text (package.json given as objects).
const fixtures: string[] = [];
function workspace(files: Record<string, string | object>): string {
  const dir = mkdtempSync(join(tmpdir(), "ark-polling-"));
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

// Waits every test may write: vitest's own, a domain read built on it, a one-off sleep, and mentions in text.
const allowed = {
  "packages/kube/package.json": { name: "@ark/kube" },
  "packages/kube/src/index.ts": "export async function waitForExit(pid: number) {\n  while (alive(pid)) await new Promise((r) => setTimeout(r, 50));\n}\n",
  "packages/kube/src/informer.test.ts": [
    'import { expect, it, vi } from "vitest";',
    'const readyModel = (read: () => Promise<string>) => vi.waitFor(async () => expect(await read()).toBe("ready"), { timeout: 18_000 });',
    'async function waitForReady(read: () => Promise<string>) {\n  await expect.poll(read, { timeout: 18_000 }).toBe("ready");\n}',
    'it("waits", async () => {\n  await new Promise((r) => setTimeout(r, 300));\n  await vi.waitFor(() => expect(1).toBe(1));\n});',
    "// function waitFor(check) { while (!check()) sleep(10); }",
    'const text = "async function until(check) { await sleep(5); }";',
  ].join("\n"),
  "e2e/package.json": { name: "@ark/e2e" },
  "e2e/bench/processes.ts": "export async function waitForPort(port: number) {\n  for (;;) await new Promise((r) => setTimeout(r, 100));\n}\n",
};

describe("tests poll with vitest's vi.waitFor / expect.poll", () => {
  it("passes waits built on vitest, and polling loops outside test code (fixture)", () => {
    expect(checkPollingHelpers(workspace(allowed))).toEqual([]);
  });

  it("fails on a test or test-support file that defines its own waitFor, eventually or until (fixture)", () => {
    const violations = checkPollingHelpers(
      workspace({
        ...allowed,
        "packages/kube/src/watch.test.ts": [
          "async function waitFor<T>(check: () => Promise<T | undefined>): Promise<T> {",
          "  for (;;) {",
          "    const value = await check();",
          "    if (value !== undefined) return value;",
          "    await new Promise((r) => setTimeout(r, 50));",
          "  }",
          "}",
          "const until = async (check: () => boolean) => {\n  while (!check()) await sleep(5);\n};",
        ].join("\n"),
        "packages/kube/src/test-support/clients.ts":
          "export const eventually = async <T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> => {\n  for (;;) { const v = check(); if (v !== undefined) return v; await setTimeout(25); }\n};\n",
        "e2e/support/mock.ts": "export const server = {\n  async waitForRequests(count: number) {\n    while (requests.length < count) await new Promise((resolve) => setTimeout(resolve, 5));\n  },\n};\n",
      }),
    );
    expect(violations.map((v) => `${v.where}: ${v.message.split(",")[0]}`)).toEqual([
      "packages/kube/src/test-support/clients.ts: defines eventually",
      "packages/kube/src/watch.test.ts: defines waitFor",
      "packages/kube/src/watch.test.ts: defines until",
      "e2e/support/mock.ts: defines waitForRequests",
    ]);
    expect(new Set(violations.map((v) => v.rule))).toEqual(new Set(["tests-poll-with-vitest"]));
  });

  it("this repository's tests define no polling helper of their own", () => {
    expect(checkPollingHelpers(root)).toEqual([]);
  });
});
