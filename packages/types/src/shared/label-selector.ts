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

export const LabelSelector = z
  .object(labelSelectorShape)
  .describe("Kubernetes label selector: matchLabels and matchExpressions are ANDed.");
export type LabelSelector = z.output<typeof LabelSelector>;
