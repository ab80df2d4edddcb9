import { z } from "zod";

export const ExpressionRule = z.object({
  name: z.string().min(1),
  expression: z.string().describe("CEL expression evaluated against the query's events."),
  description: z.string().optional(),
  weight: z.int32().min(0).optional().describe("Relative weight of the rule; treated as 1 when absent."),
});
export type ExpressionRule = z.output<typeof ExpressionRule>;
