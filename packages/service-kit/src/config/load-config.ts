import { ClassifiedError } from "@ark/types";
import { readFileSync } from "node:fs";
import type { z } from "zod";

/** A configuration the service cannot start with; the message names every bad variable. */
export class ConfigError extends ClassifiedError {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super("user", "CONFIG_ERROR", `invalid configuration:\n  ${problems.join("\n  ")}`);
  }
}

const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|DATABASE_URL/i;

function describeValue(name: string, raw: string): string {
  return SECRET_NAME.test(name) ? `got a value of ${raw.length} characters (hidden)` : `got ${JSON.stringify(raw)}`;
}

/** Empty variables (`FOO=` in compose files) count as unset, so defaults apply. */
function withoutEmptyValues(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""));
}

/**
 * `NAME_FILE` for any variable NAME of the schema that is unset: the file's contents (a trailing newline dropped), as
 * Docker secrets and compose volumes hand credentials over without putting them in the environment.
 */
function withFileValues(schema: z.ZodObject, input: Record<string, string>): { input: Record<string, string>; problems: string[] } {
  const problems: string[] = [];
  const out = { ...input };
  for (const name of Object.keys(schema.shape)) {
    const file = input[`${name}_FILE`];
    if (file === undefined || out[name] !== undefined) continue;
    try {
      out[name] = readFileSync(file, "utf8").replace(/\r?\n$/, "");
    } catch (err) {
      problems.push(`${name}_FILE: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  return { input: out, problems };
}

/** Parses the environment with a zod object schema, or throws a ConfigError naming each bad variable. */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Record<string, string | undefined> = process.env): z.output<S> {
  const files = withFileValues(schema, withoutEmptyValues(env));
  if (files.problems.length) throw new ConfigError(files.problems);
  const input = files.input;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join(".") || "(environment)";
    const raw = input[String(issue.path[0])];
    if (raw === undefined) return `${name}: ${issue.code === "invalid_type" ? "is required" : issue.message}`;
    return `${name}: ${issue.message}, ${describeValue(name, raw)}`;
  });
  throw new ConfigError(problems);
}
