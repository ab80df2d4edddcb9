import { statusErrors } from "../status.js";

export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll("dryRun");
  for (const v of values) if (v !== "All") throw statusErrors.badRequest(`unsupported dryRun value: ${v}; supported values: "All"`);
  return values.length > 0;
}
