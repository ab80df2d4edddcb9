import { createRequire } from "node:module";
import type { Tool } from "./tool.js";

/** jq-web (no types of its own): `raw` runs jq like `echo <json> | jq <flags> <filter>`, throwing with exitCode and stderr. */
interface JqRuntime {
  raw(json: string, filter: string, flags?: string[]): string | undefined;
}

// Required (not imported) on first use: the module is a CommonJS promise, and compiling its 2.8 MB wasm is not free.
let jqRuntime: Promise<JqRuntime> | undefined;
function loadJq(): Promise<JqRuntime> {
  jqRuntime ??= createRequire(import.meta.url)("jq-web") as Promise<JqRuntime>;
  return jqRuntime;
}

/** An entry of an Agent's `spec.tools[].functions`. */
export interface ToolFunction {
  name: string;
  value?: string;
}

/** Wraps `tool` so its successful results pass through the functions in order (docs/upstream-compat.md §7.5); only jq acts. */
export function withFunctions(tool: Tool, functions: readonly ToolFunction[] | undefined): Tool {
  const filters = (functions ?? []).filter((f) => f.name === "jq" && f.value);
  if (filters.length === 0) return tool;
  return {
    ...tool,
    async execute(rawArguments, context) {
      const result = await tool.execute(rawArguments, context);
      let content = result.content;
      for (const filter of filters) content = await applyJq(content, filter.value!);
      return { ...result, content };
    },
  };
}

/**
 * Runs a jq expression (jq 1.7 compiled to WebAssembly, bundled by jq-web) over a tool result. Content that is not
 * JSON passes unchanged; no output → "", one → its JSON, several → a JSON array of them.
 */
export async function applyJq(content: string, expression: string): Promise<string> {
  if (!expression.trim() || !isJson(content)) return content;
  const jq = await loadJq();
  let output: string;
  try {
    output = jq.raw(content, expression, ["-c"]) ?? "";
  } catch (error) {
    const detail = jqMessage(error);
    // jq exits with 3 for a compile error, 5 for a runtime error.
    if ((error as { exitCode?: number }).exitCode === 3) throw new Error(`failed to parse jq expression '${expression}': ${detail}`, { cause: error });
    throw new Error(`jq query execution error: ${detail}`, { cause: error });
  }
  // With -c every result is one line (newlines inside strings are escaped).
  const results = output.split("\n").filter((line) => line.trim() !== "");
  if (results.length === 0) return "";
  if (results.length === 1) return results[0]!;
  return `[${results.join(",")}]`;
}

function isJson(content: string): boolean {
  try {
    JSON.parse(content);
    return true;
  } catch {
    return false;
  }
}

function jqMessage(error: unknown): string {
  const { stderr, message } = error as { stderr?: unknown; message?: unknown };
  return String(typeof stderr === "string" && stderr ? stderr : message)
    .replace(/\s*\(Unix shell quoting issues\?\)/, "")
    .replace(/\n/g, " ")
    .trim();
}
