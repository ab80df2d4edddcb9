import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** The compose file as compose reads it: YAML merge keys (`<<: *anchor`) applied. */
export function readCompose(path: string): ComposeFile {
  return parse(readFileSync(path, "utf8"), { merge: true }) as ComposeFile;
}

/** `${VAR:-default}` → default, as compose interpolates with VAR unset. */
export function interpolateDefaults(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? "");
}

/** Environment variable names a plain script reads (`process.env.X`, `env.X`, `numberFromEnv("X")`). */
export function envNamesReadBy(source: string): Set<string> {
  const names = new Set<string>();
  for (const [, a, b] of source.matchAll(/(?:\benv\.([A-Z][A-Z0-9_]*))|(?:FromEnv\("([A-Z][A-Z0-9_]*)"\))/g)) names.add((a ?? b)!);
  return names;
}
