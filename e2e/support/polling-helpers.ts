import { readFileSync } from "node:fs";
import { join } from "node:path";
import { blankCommentsAndStrings, readWorkspace, type Violation } from "./dependency-rules.js";

// Tests wait with vitest's own vi.waitFor / expect.poll (and finishedQuery from @ark/testing/vitest, built on it):
// a home-made polling loop in one test file drifts from the others in timeout, interval and failure message.

/** Test code: test files, test-support/ and conformance/ helpers, @ark/testing, and e2e/ (its benchmarks run outside vitest). */
const isTestCode = (path: string) =>
  /\.test\.tsx?$/.test(path) || path.includes("/test-support/") || path.includes("/conformance/") || path.startsWith("packages/testing/") || (path.startsWith("e2e/") && !path.startsWith("e2e/bench/"));

const POLLING_NAME = "(?:wait|eventually|until|poll)\\w*";
// `function waitFor(`, `const until = async (` (or `= function`), and a method `async waitForRequests(count) {`.
const DEFINITIONS = [
  new RegExp(`\\bfunction\\s*\\*?\\s*(${POLLING_NAME})\\b`, "gi"),
  new RegExp(`\\b(?:const|let|var)\\s+(${POLLING_NAME})\\s*(?::[^=]+)?=\\s*(?:async\\b\\s*)?(?:function\\b\\s*\\w*)?`, "gi"),
  new RegExp(`(?:^|[\\s{,;])(?:async\\s+)?(?:(?:private|protected|public|static)\\s+)*(${POLLING_NAME})(?=\\s*[<(])`, "gi"),
];
const TIMER = /\b(?:setTimeout|setInterval|setImmediate|sleep)\s*\(/;
const LOOP = /\b(?:for|while)\s*\(|\bdo\s*\{/;

/** The index of the bracket closing the one at `open` (code without comments and strings). */
function closing(code: string, open: number): number {
  const pair: Record<string, string> = { "(": ")", "{": "}", "<": ">" };
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === code[open]) depth++;
    else if (code[i] === pair[code[open]!] && --depth === 0) return i;
  }
  return code.length - 1;
}

/** The body of the function whose generics or parameters start at `from`; undefined when it is a call, not a definition. */
function functionBody(code: string, from: number): string | undefined {
  let i = from;
  const skipSpace = () => {
    while (/\s/.test(code[i] ?? "")) i++;
  };
  skipSpace();
  const single = /^\w+\s*=>\s*/.exec(code.slice(i, i + 200));
  if (single) i += single[0].length;
  else {
    if (code[i] === "<") i = closing(code, i) + 1;
    skipSpace();
    if (code[i] !== "(") return undefined;
    const head = /^\s*(?::[^{;=]*)?(=>\s*)?/.exec(code.slice(closing(code, i) + 1))!;
    i = closing(code, i) + 1 + head[0].length;
    if (code[i] !== "{" && !head[1]) return undefined;
  }
  if (code[i] === "{") return code.slice(i, closing(code, i) + 1);
  const end = code.indexOf(";", i);
  return code.slice(i, end === -1 ? code.length : end);
}

/** Polling helpers (named wait…/eventually/until…/poll…, looping over a timer of their own) that test code defines. */
function pollingHelpersIn(path: string, source: string): Violation[] {
  const code = blankCommentsAndStrings(source);
  const found = new Map<number, string>();
  for (const pattern of DEFINITIONS) {
    for (const match of code.matchAll(pattern)) {
      const name = match[1]!;
      const at = match.index + match[0].lastIndexOf(name);
      const body = functionBody(code, match.index + match[0].length);
      if (!found.has(at) && body && TIMER.test(body) && LOOP.test(body)) found.set(at, name);
    }
  }
  return [...found.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, name]) => ({ rule: "tests-poll-with-vitest", where: path, message: `defines ${name}, its own polling loop: use vi.waitFor / expect.poll (or finishedQuery from @ark/testing/vitest)` }));
}

/** Every polling helper that the test code of the workspace at `root` defines. */
export function checkPollingHelpers(root: string): Violation[] {
  return readWorkspace(root)
    .flatMap((pkg) => pkg.files.map((file) => file.path))
    .filter(isTestCode)
    .flatMap((path) => pollingHelpersIn(path, readFileSync(join(root, path), "utf8")));
}
