import { z } from "zod";

export const ConditionStatus = z.enum(["True", "False", "Unknown"]);

export const Condition = z.object({
  type: z.string().describe("Condition type, e.g. Ready, Completed, ModelAvailable."),
  status: ConditionStatus,
  reason: z.string().optional().describe("CamelCase reason for the last transition."),
  message: z.string().optional().describe("Human-readable details."),
  lastTransitionTime: z.string().optional().describe("RFC 3339 time of the last status change."),
  observedGeneration: z.int().min(0).optional(),
});
export type Condition = z.output<typeof Condition>;

/** Fields every ARK status carries (docs/architecture.md §7.1). */
export const reconcileStatusShape = {
  conditions: z.array(Condition).optional(),
  observedGeneration: z.int().min(0).optional().describe("metadata.generation the status reflects."),
};
