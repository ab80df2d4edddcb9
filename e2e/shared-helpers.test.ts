import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { checkSharedHelpers } from "./support/shared-helpers.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

// A throw-away workspace: a map of path → file text (package.json given as objects).
const fixtures: string[] = [];
function workspace(files: Record<string, string | object>): string {
  const dir = mkdtempSync(join(tmpdir(), "ark-helpers-"));
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

const pkg = (name: string) => ({ name, exports: { ".": { "@ark/source": "./src/index.ts" } } });
// The smallest workspace the rules apply to, with no violation: code that uses the shared helpers, text that only
// looks like a violation (a join, a comment, a string), and tests and test support, which may keep their own.
const base = {
  "packages/types/package.json": pkg("@ark/types"),
  "packages/types/src/index.ts": 'export * from "./shared/server-sent-events.js";\n',
  "packages/types/src/shared/server-sent-events.ts": 'import { createParser } from "eventsource-parser";\nexport const split = (s: string) => s.split("\\n\\n");\n',
  "packages/cli/package.json": pkg("@ark/cli"),
  "packages/cli/src/index.ts": [
    'import { setTimeout as delay } from "node:timers/promises";',
    'import { readServerSentEvents } from "@ark/types";',
    '// Once this split on "\\n\\n" and slept with new Promise((r) => setTimeout(r, 5)).',
    'export const answer = (parts: string[]) => parts.join("\\n\\n");',
    'export const note = "new Promise(setTimeout)";',
    "export const lines = (text: string) => text.split(/\\r?\\n/);",
    "export const later = new Promise((resolve) => queueMicrotask(() => resolve(1)));",
    "export async function poll(signal: AbortSignal) {",
    '  for await (const event of readServerSentEvents(new Response("").body!, signal)) await delay(10, undefined, { signal });',
    "}",
    "",
  ].join("\n"),
  "packages/cli/src/index.test.ts": 'const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\nconst blocks = (t: string) => t.split("\\n\\n");\n',
  "packages/cli/src/test-support/sse.ts": 'export const blocks = (t: string) => t.split("\\n\\n").filter((b) => b.startsWith("data:"));\n',
  "packages/testing/package.json": pkg("@ark/testing"),
  "packages/testing/src/index.ts": "export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\n",
  "services/ark-api/package.json": pkg("@ark/ark-api"),
  "services/ark-api/src/index.ts": "export const x = 1;\n",
  "services/ark-dashboard/package.json": pkg("@ark/ark-dashboard"),
  "services/ark-dashboard/web/retry.ts": "export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));\n",
  "e2e/package.json": { name: "@ark/e2e" },
  "e2e/stack.test.ts": "const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\n",
};
const broken = (extra: Record<string, string | object>) => checkSharedHelpers(workspace({ ...base, ...extra }));

describe("shared helpers are written once", () => {
  it("passes a workspace that reads event streams and sleeps with the shared helpers (fixture)", () => {
    expect(broken({})).toEqual([]);
  });

  it("fails when code outside tests reads Server-Sent Events itself (fixture)", () => {
    const violations = broken({
      "packages/engine/package.json": pkg("@ark/engine"),
      "packages/engine/src/index.ts": [
        "export function events(buffer: string) {",
        '  const end = buffer.indexOf("\\n\\n");',
        '  return buffer.slice(0, end).split("\\n").filter((line) => line.startsWith("data:"));',
        "}",
        "",
      ].join("\n"),
      "services/ark-dashboard/web/api.ts": "export const blocks = (text: string) => text.split(/\\r?\\n\\r?\\n/);\n",
      "services/ark-api/src/index.ts": 'import { createParser } from "eventsource-parser";\nexport const parser = createParser({ onEvent: () => undefined });\n',
    });
    expect(violations.map((v) => `${v.rule} ${v.where}`)).toEqual([
      "one-sse-reader packages/engine/src/index.ts:2",
      "one-sse-reader packages/engine/src/index.ts:3",
      "one-sse-reader services/ark-api/src/index.ts",
      "one-sse-reader services/ark-dashboard/web/api.ts:1",
    ]);
  });

  it("fails when code outside tests sleeps with a new Promise around setTimeout (fixture)", () => {
    const violations = broken({
      "packages/kube/package.json": pkg("@ark/kube"),
      "packages/kube/src/index.ts": [
        "export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));",
        "export function pause(ms: number): Promise<void> {",
        "  return new Promise<void>((resolve) => {",
        "    const timer = setTimeout(resolve, ms);",
        "    timer.unref();",
        "  });",
        "}",
        'export const late = (ms: number) => new Promise<never>((_, reject) => globalThis.setTimeout(() => reject(new Error("late")), ms));',
        "",
      ].join("\n"),
      "services/ark-api/src/index.ts": "export async function retry() {\n  await new Promise((resolve) =>\n    setTimeout(resolve, 100),\n  );\n}\n",
    });
    expect(violations.map((v) => `${v.rule} ${v.where}`)).toEqual([
      "sleep-from-node-timers packages/kube/src/index.ts:1",
      "sleep-from-node-timers packages/kube/src/index.ts:3",
      "sleep-from-node-timers packages/kube/src/index.ts:8",
      "sleep-from-node-timers services/ark-api/src/index.ts:2",
    ]);
  });

  it("this repository keeps both rules", () => {
    expect(checkSharedHelpers(root)).toEqual([]);
  });
});
