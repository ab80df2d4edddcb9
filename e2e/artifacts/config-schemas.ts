import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** The variable names a service's config schema (an exported zod object with PORT in `src/config.ts`) knows. */
export async function configSchemaKeys(root: string, serviceDir: string): Promise<Set<string> | undefined> {
  const file = join(root, serviceDir, "src", "config.ts");
  if (!existsSync(file)) return undefined;
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  for (const value of Object.values(module)) {
    const shape = (value as { shape?: Record<string, unknown> } | null)?.shape;
    if (shape && typeof shape === "object" && "PORT" in shape) return new Set(Object.keys(shape));
  }
  return undefined;
}
