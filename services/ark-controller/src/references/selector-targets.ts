import type { LabelSelector } from "@ark/types";

/** A LabelSelector in the query-string syntax the API takes: `a=b,k in (x,y),!gone`. */
export function labelSelectorString(selector: LabelSelector): string {
  const terms = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    if (operator === "In") terms.push(`${key} in (${values.join(",")})`);
    else if (operator === "NotIn") terms.push(`${key} notin (${values.join(",")})`);
    else if (operator === "Exists") terms.push(key);
    else terms.push(`!${key}`);
  }
  return terms.join(",");
}

/** Whether labels satisfy a LabelSelector (matchLabels and matchExpressions ANDed), as the API server decides it. */
export function matchesLabelSelector(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (have[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(have, key);
    if (operator === "In" && !(present && values.includes(have[key]!))) return false;
    if (operator === "NotIn" && present && values.includes(have[key]!)) return false;
    if (operator === "Exists" && !present) return false;
    if (operator === "DoesNotExist" && present) return false;
  }
  return true;
}
