import { z } from "zod";

export const LabelSelectorOperator = z.enum(["In", "NotIn", "Exists", "DoesNotExist"]);

export const LabelSelectorRequirement = z.object({
  key: z.string(),
  operator: LabelSelectorOperator,
  values: z.array(z.string()).optional().describe("Required for In and NotIn; must be empty for Exists and DoesNotExist."),
});
export type LabelSelectorRequirement = z.output<typeof LabelSelectorRequirement>;

export const labelSelectorShape = {
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z.array(LabelSelectorRequirement).optional(),
};

export const LabelSelector = z.object(labelSelectorShape).describe("Kubernetes label selector: matchLabels and matchExpressions are ANDed.");
export type LabelSelector = z.output<typeof LabelSelector>;

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
