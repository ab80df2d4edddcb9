import { readFileSync } from "node:fs";
import { join } from "node:path";
import { blankCommentsAndStrings, readWorkspace, type Violation } from "./dependency-rules.js";

/** The one Server-Sent Events reader; every other module reads event streams through it. */
const SSE_READER = "packages/types/src/shared/server-sent-events.ts";

// Tests, their support code, conformance suites, fixtures, benchmarks and @ark/testing may keep their own.
const isTestCode = (path: string) => /\.(test|fixture)\.[cm]?tsx?$/.test(path) || /\/(test-support|__tests__|fixtures|conformance|bench)\//.test(path) || path.startsWith("packages/testing/");

// A literal that splits text at a blank line: "\n\n", "\r\n\r\n", /\r?\n\r?\n/ …
const SPLIT_AT_LITERAL = /\.(?:split|indexOf|lastIndexOf|search)\(\s*(["'`/])((?:\\.|(?!\1)[^\n])*)\1/g;
// Reading an SSE field by hand: line.startsWith("data:").
const SSE_FIELD = /\.startsWith\(\s*["'`](?:data|event|id|retry):/g;

/**
 * Helpers with one home in @ark/types (docs/architecture.md) that code under packages/ and services/ must not
 * write again; tests and test support are exempt:
 * - one-sse-reader: Server-Sent Events are read with readServerSentEvents, never by splitting text at blank lines,
 *   reading `data:` lines or driving eventsource-parser directly;
 * - sleep-from-node-timers: a pause is `setTimeout` from node:timers/promises (abortable with `{ signal }`), never a
 *   `new Promise` around the global setTimeout (browser code, under web/, has no node:timers and is exempt).
 */
export function checkSharedHelpers(root: string): Violation[] {
  const violations: Violation[] = [];
  const files = readWorkspace(root)
    .filter((pkg) => pkg.group !== "other")
    .flatMap((pkg) => pkg.files)
    .filter((file) => !isTestCode(file.path) && file.path !== SSE_READER);
  for (const file of files) {
    const source = readFileSync(join(root, file.path), "utf8");
    const code = blankCommentsAndStrings(source);
    const lineOf = (index: number) => source.slice(0, index).split("\n").length;
    const inCode = (index: number) => code[index] === source[index];

    for (const match of source.matchAll(SPLIT_AT_LITERAL)) {
      if (inCode(match.index) && (match[2]!.match(/\\n/g)?.length ?? 0) >= 2) {
        violations.push({ rule: "one-sse-reader", where: `${file.path}:${lineOf(match.index)}`, message: "splits text at a blank line; read event streams with readServerSentEvents (@ark/types)" });
      }
    }
    for (const match of source.matchAll(SSE_FIELD)) {
      if (inCode(match.index)) {
        violations.push({ rule: "one-sse-reader", where: `${file.path}:${lineOf(match.index)}`, message: "parses SSE fields by hand; read event streams with readServerSentEvents (@ark/types)" });
      }
    }
    if (file.imports.includes("eventsource-parser")) {
      violations.push({ rule: "one-sse-reader", where: file.path, message: "imports eventsource-parser; read event streams with readServerSentEvents (@ark/types)" });
    }

    // A browser bundle (a dashboard's web/) has no node:timers.
    if (file.path.includes("/web/")) continue;
    for (const match of code.matchAll(/(?<![\w$.])new\s+Promise\b/g)) {
      const executor = balancedParentheses(code, match.index + match[0].length);
      if (executor && /(?:^|[^\w$.]|(?:globalThis|window)\.)setTimeout\s*\(/.test(executor)) {
        violations.push({ rule: "sleep-from-node-timers", where: `${file.path}:${lineOf(match.index)}`, message: "wraps setTimeout in a new Promise; use setTimeout from node:timers/promises" });
      }
    }
  }
  return violations;
}

// The text from the first "(" at or after `from` (generic arguments skipped) to its matching ")".
function balancedParentheses(code: string, from: number): string | undefined {
  const open = code.indexOf("(", from);
  if (open === -1 || /[;{}]/.test(code.slice(from, open))) return undefined;
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === "(") depth++;
    else if (code[i] === ")" && --depth === 0) return code.slice(open, i + 1);
  }
  return undefined;
}
