/** The subset of JSONPath that printer columns use: `.status.phase`, `.spec.members[0].name`, `.status.items.length`. */
export function readJsonPath(object: unknown, path: string): unknown {
  const steps = path.replace(/^\$?\./, "").match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let current: unknown = object;
  for (const step of steps) {
    if (current === null || current === undefined) return undefined;
    if (step.startsWith("[")) {
      current = Array.isArray(current) ? current[Number(step.slice(1, -1))] : undefined;
    } else if (step === "length" && Array.isArray(current)) {
      current = current.length;
    } else {
      current = typeof current === "object" ? (current as Record<string, unknown>)[step] : undefined;
    }
  }
  return current;
}

/** A cell as kubectl prints it: empty for missing, JSON for objects. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
