import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";

/** One workspace package as the dependency rules see it: its manifest's workspace dependencies and its sources' imports. */
export interface WorkspacePackage {
  name: string;
  /** Directory relative to the workspace root, with "/" separators ("packages/engine"). */
  dir: string;
  group: "packages" | "services" | "other";
  dependencies: string[];
  devDependencies: string[];
  files: SourceFile[];
}

interface SourceFile {
  /** Path relative to the workspace root, with "/" separators. */
  path: string;
  imports: string[];
  /** Reachable from the package's exports or bin through relative imports: code the package ships, not its tests. */
  shipped: boolean;
}

export interface Violation {
  rule: string;
  where: string;
  message: string;
}

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(["node_modules", "dist", "coverage", ".turbo"]);

/** Reads every package under packages/*, services/* and e2e/ of the workspace at `root`. */
export function readWorkspace(root: string): WorkspacePackage[] {
  const dirs: string[] = [];
  for (const group of ["packages", "services"]) {
    if (!existsSync(join(root, group))) continue;
    for (const entry of readdirSync(join(root, group)).sort()) dirs.push(`${group}/${entry}`);
  }
  dirs.push("e2e");
  return dirs.filter((dir) => existsSync(join(root, dir, "package.json"))).map((dir) => readPackage(root, dir));
}

function readPackage(root: string, dir: string): WorkspacePackage {
  const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as {
    name: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    exports?: unknown;
    bin?: string | Record<string, string>;
  };
  const paths = walk(join(root, dir)).map((file) => relative(root, file).split(sep).join("/"));
  const imports = new Map(paths.map((path) => [path, importsOf(readFileSync(join(root, path), "utf8"))]));
  const shipped = reachable(dir, entryPoints(dir, manifest), imports);
  const group = dir.startsWith("packages/") ? "packages" : dir.startsWith("services/") ? "services" : "other";
  return {
    name: manifest.name,
    dir,
    group,
    dependencies: Object.keys(manifest.dependencies ?? {}),
    devDependencies: Object.keys(manifest.devDependencies ?? {}),
    files: paths.map((path) => ({ path, imports: imports.get(path)!, shipped: shipped.has(path) })),
  };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(entry)) out.push(...walk(path));
    } else if (SOURCE.test(entry) && !entry.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

// Source entry points: the "@ark/source" condition of each export (else any string target) and the bins.
function entryPoints(dir: string, manifest: { exports?: unknown; bin?: string | Record<string, string> }): string[] {
  const targets: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === "string") targets.push(value);
    else if (value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (typeof record["@ark/source"] === "string") targets.push(record["@ark/source"]);
      else Object.values(record).forEach(collect);
    }
  };
  collect(manifest.exports);
  collect(manifest.bin);
  return targets.map((target) => posix.normalize(`${dir}/${target}`));
}

function reachable(dir: string, entries: string[], imports: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const queue = entries.map((entry) => sourceOf(entry, imports)).filter((path): path is string => path !== undefined);
  while (queue.length > 0) {
    const path = queue.pop()!;
    if (seen.has(path) || !path.startsWith(`${dir}/`)) continue;
    seen.add(path);
    for (const specifier of imports.get(path) ?? []) {
      const target = resolveRelative(path, specifier, imports);
      if (target) queue.push(target);
    }
  }
  return seen;
}

/** The workspace file a relative specifier names (".js" written for a ".ts" source), or undefined. */
function resolveRelative(from: string, specifier: string, files: { has(path: string): boolean }): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return sourceOf(posix.normalize(posix.join(posix.dirname(from), specifier)), files);
}

function sourceOf(path: string, files: { has(path: string): boolean }): string | undefined {
  const stem = path.replace(/\.(js|mjs|cjs|ts|mts|cts|tsx)$/, "");
  const candidates = [path, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.js`, `${stem}.mjs`, `${path}/index.ts`, `${path}/index.js`];
  return candidates.find((candidate) => files.has(candidate));
}

/**
 * The module specifiers a source file imports: `import … from`, `import "…"`, `export … from`, `import("…")`
 * with a literal, and `require("…")`. Comments and the insides of strings are skipped, so text that merely
 * mentions an import does not count.
 */
export function importsOf(source: string): string[] {
  const code = blankCommentsAndStrings(source);
  const specifiers: string[] = [];
  const patterns = [
    /(?<![\w$.])import\s+(?:type\s+)?(?:[\w$*{][^;]*?\s+from\s*)?(["'])/g,
    /(?<![\w$.])export\s+(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*(["'])/g,
    /(?<![\w$.])(?:import|require)\s*\(\s*(["'])/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      const start = match.index + match[0].length;
      const end = source.indexOf(match[1]!, start);
      if (end > start) specifiers.push(source.slice(start, end));
    }
  }
  return [...new Set(specifiers)];
}

// Replaces comments and string contents with spaces (keeping quotes and offsets), so patterns match code only.
export function blankCommentsAndStrings(source: string): string {
  const out = source.split("");
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  // Nesting of `${ … }` inside template literals: a stack of brace depths.
  const templates: number[] = [];
  let depth = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      const stop = end === -1 ? source.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end === -1 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== "\n") j += source[j] === "\\" ? 2 : 1;
      blank(i + 1, j);
      i = j + 1;
    } else if (c === "`" || (c === "}" && templates.length > 0 && templates[templates.length - 1] === depth)) {
      if (c === "}") templates.pop();
      let j = i + 1;
      while (j < source.length && source[j] !== "`" && !(source[j] === "$" && source[j + 1] === "{")) j += source[j] === "\\" ? 2 : 1;
      blank(i + 1, j);
      if (source[j] === "$") {
        templates.push(depth);
        i = j + 2;
      } else i = j + 1;
    } else {
      if (c === "{") depth++;
      else if (c === "}") depth--;
      i++;
    }
  }
  return out.join("");
}

/** A bare specifier's package name ("@ark/kube/x" → "@ark/kube", "node:fs" → "node:fs"). */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

// Clients of ARK's backends that a browser dashboard must not talk to directly: it goes through ark-api.
const BACKEND_CLIENTS = ["@kubernetes/client-node", "@nats-io/", "pg", "drizzle-orm"];
const DASHBOARD_WORKSPACE_IMPORTS = new Set(["@ark/types", "@ark/service-kit"]);
const ENGINE_WORKSPACE_IMPORTS = ["@ark/types", "@ark/gotemplate"];
const isTestSource = (path: string) => /\.test\.tsx?$/.test(path) || path.includes("/test-support/");
const TEST_STACK = "@ark/test-stack";

/**
 * The dependency rules of the workspace (docs/architecture.md describes the layers):
 * - packages never import services, except the composition root of `ark dev` (packages/cli/src/dev/), the CLI's
 *   tests (and test-support/), which start services to drive the `ark` binary against, and @ark/test-stack;
 * - @ark/test-stack (test-only: it starts ark-apiserver for tests) is imported only by tests, test-support/ and e2e/,
 *   and is never a runtime dependency (only a devDependency), so it never reaches an image;
 * - the engine's shipped code imports no workspace package but @ark/types and @ark/gotemplate (its tests may also
 *   use @ark/testing);
 * - @ark/gotemplate (Go text/template) is a leaf: nothing of it, tests included, imports a workspace package;
 * - ark-controller's reconcilers never import its worker (what they share lives outside src/worker/);
 * - a dashboard (services/ark-dashboard) imports no backend client and no workspace package but @ark/types (the
 *   schemas its forms validate with) and @ark/service-kit (its server's plumbing): it only calls ark-api's HTTP API.
 *   Its tests (and test-support/) start a whole stack, so they and its devDependencies are exempt.
 * Each rule is checked on the sources' imports and on package.json.
 */
export function checkDependencyRules(workspace: WorkspacePackage[]): Violation[] {
  const violations: Violation[] = [];
  const services = new Set(workspace.filter((pkg) => pkg.group === "services").map((pkg) => pkg.name));
  const workspaceNames = new Set(workspace.map((pkg) => pkg.name));

  for (const pkg of workspace) {
    const manifest = `${pkg.dir}/package.json`;
    const allDependencies = [...pkg.dependencies, ...pkg.devDependencies];

    if (pkg.group === "packages" && pkg.name !== TEST_STACK) {
      const compositionRoot = pkg.dir === "packages/cli";
      for (const file of pkg.files) {
        if (compositionRoot && (file.path.startsWith("packages/cli/src/dev/") || isTestSource(file.path))) continue;
        for (const specifier of file.imports) {
          if (services.has(packageOf(specifier))) {
            violations.push({ rule: "packages-import-no-services", where: file.path, message: `imports the service ${specifier}` });
          }
        }
      }
      if (!compositionRoot) {
        for (const dependency of allDependencies.filter((name) => services.has(name))) {
          violations.push({ rule: "packages-import-no-services", where: manifest, message: `depends on the service ${dependency}` });
        }
      }
    }

    if (pkg.name !== TEST_STACK) {
      for (const file of pkg.files.filter((f) => pkg.dir !== "e2e" && !isTestSource(f.path))) {
        for (const specifier of file.imports.filter((s) => packageOf(s) === TEST_STACK)) {
          violations.push({ rule: "test-stack-only-in-tests", where: file.path, message: `imports ${specifier} outside tests and test-support/` });
        }
      }
      if (pkg.dependencies.includes(TEST_STACK)) {
        violations.push({ rule: "test-stack-only-in-tests", where: manifest, message: `depends on ${TEST_STACK} at run time (a devDependency only)` });
      }
    }

    if (pkg.dir === "packages/engine") {
      for (const file of pkg.files) {
        const allowed = file.shipped ? ENGINE_WORKSPACE_IMPORTS : [...ENGINE_WORKSPACE_IMPORTS, "@ark/testing"];
        for (const specifier of file.imports) {
          const name = packageOf(specifier);
          if (workspaceNames.has(name) && name !== pkg.name && !allowed.includes(name)) {
            violations.push({ rule: "engine-imports-only-types-and-gotemplate", where: file.path, message: `imports ${specifier}` });
          }
        }
      }
      for (const dependency of pkg.dependencies.filter((name) => workspaceNames.has(name) && !ENGINE_WORKSPACE_IMPORTS.includes(name))) {
        violations.push({ rule: "engine-imports-only-types-and-gotemplate", where: manifest, message: `depends on ${dependency}` });
      }
      for (const dependency of pkg.devDependencies.filter((name) => workspaceNames.has(name) && name !== "@ark/testing")) {
        violations.push({ rule: "engine-imports-only-types-and-gotemplate", where: manifest, message: `depends on ${dependency} (tests may use only @ark/testing)` });
      }
    }

    if (pkg.dir === "packages/gotemplate") {
      for (const file of pkg.files) {
        for (const specifier of file.imports.filter((s) => workspaceNames.has(packageOf(s)) && packageOf(s) !== pkg.name)) {
          violations.push({ rule: "gotemplate-imports-no-workspace-package", where: file.path, message: `imports ${specifier}` });
        }
      }
      for (const dependency of allDependencies.filter((name) => workspaceNames.has(name))) {
        violations.push({ rule: "gotemplate-imports-no-workspace-package", where: manifest, message: `depends on ${dependency}` });
      }
    }

    if (pkg.dir === "services/ark-controller") {
      const files = new Set(pkg.files.map((file) => file.path));
      for (const file of pkg.files.filter((f) => f.path.startsWith(`${pkg.dir}/src/reconcilers/`))) {
        for (const specifier of file.imports) {
          const target = resolveRelative(file.path, specifier, files) ?? posix.normalize(posix.join(posix.dirname(file.path), specifier));
          if (specifier.startsWith(".") && target.startsWith(`${pkg.dir}/src/worker/`)) {
            violations.push({ rule: "reconcilers-import-no-worker", where: file.path, message: `imports ${specifier}` });
          }
        }
      }
    }

    if (pkg.dir === "services/ark-dashboard" || pkg.name === "@ark/ark-dashboard") {
      const forbidden = (name: string) =>
        (workspaceNames.has(name) && name !== pkg.name && !DASHBOARD_WORKSPACE_IMPORTS.has(name)) || BACKEND_CLIENTS.some((client) => name === client || (client.endsWith("/") && name.startsWith(client)));
      for (const file of pkg.files.filter((f) => !isTestSource(f.path))) {
        for (const specifier of file.imports.filter((s) => forbidden(packageOf(s)))) {
          violations.push({ rule: "dashboard-only-ark-api-http", where: file.path, message: `imports ${specifier}; the dashboard reaches ARK only through ark-api's HTTP API` });
        }
      }
      for (const dependency of pkg.dependencies.filter(forbidden)) {
        violations.push({ rule: "dashboard-only-ark-api-http", where: manifest, message: `depends on ${dependency}` });
      }
    }
  }
  return violations;
}
