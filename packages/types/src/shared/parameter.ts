import { z } from "zod";
import { ValueFromSource } from "./value-source.js";

export const Parameter = z
  .object({
    name: z.string().min(1).describe("Template variable name, used as {{.name}}."),
    value: z.string().optional(),
    valueFrom: ValueFromSource.optional().describe("Exactly one of configMapKeyRef and secretKeyRef."),
  })
  .describe("A named template value; exactly one of value and valueFrom.");
export type Parameter = z.output<typeof Parameter>;
