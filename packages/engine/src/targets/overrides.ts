import { matchesLabelSelector, type LabelSelector, type Override, type OverrideResourceType } from "@ark/types";
import { resolveHeaderValues, type HeaderValueContext } from "../http/header-values.js";
import { mergeHeaders } from "../http/merge-headers.js";

/** An Agent's or Query's `overrides` entry with its header values read (docs/upstream-compat.md §6.9). */
export interface HeaderOverride {
  resourceType: OverrideResourceType;
  labelSelector?: LabelSelector;
  headers: Record<string, string>;
}

/** `overrides` → their headers read now (values, Secrets, ConfigMaps, the query's parameters); an error names `at[i].headers[j]`. */
export async function resolveOverrides(overrides: readonly Override[] | undefined, at: string, context: HeaderValueContext): Promise<HeaderOverride[]> {
  const resolved: HeaderOverride[] = [];
  for (const [index, override] of (overrides ?? []).entries()) {
    const headers = await resolveHeaderValues(override.headers, `${at}[${index}].headers`, context);
    resolved.push({ resourceType: override.resourceType, ...(override.labelSelector ? { labelSelector: override.labelSelector } : {}), headers });
  }
  return resolved;
}

/**
 * `headers` with the overrides that select this resource applied in order (a later override wins); a header of the
 * same name, in any case, is replaced. Unchanged when none selects it.
 */
export function withOverrideHeaders(
  headers: Readonly<Record<string, string>> | undefined,
  overrides: readonly HeaderOverride[] | undefined,
  resourceType: OverrideResourceType,
  labels: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const selected = (overrides ?? []).filter((o) => o.resourceType === resourceType && (!o.labelSelector || matchesLabelSelector(o.labelSelector, labels)));
  if (selected.length === 0) return headers ? { ...headers } : undefined;
  return selected.reduce<Record<string, string>>((merged, override) => mergeHeaders(merged, override.headers), { ...headers });
}
