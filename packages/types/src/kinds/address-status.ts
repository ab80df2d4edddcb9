import { z } from "zod";
import { reconcileStatusShape } from "../shared/condition.js";

/** Status of kinds that only resolve an address (Memory, Evaluator, ExecutionEngine). */
export const AddressStatus = z.object({
  lastResolvedAddress: z.string().optional(),
  phase: z.enum(["running", "ready", "error"]).optional(),
  message: z.string().optional(),
  ...reconcileStatusShape,
});
export type AddressStatus = z.output<typeof AddressStatus>;
