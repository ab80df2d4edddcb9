import { z } from "zod";

export const PRESERVE_UNKNOWN_FIELDS = "x-kubernetes-preserve-unknown-fields";

/** A free-form JSON object kept as given (CRD `x-kubernetes-preserve-unknown-fields: true`). */
export const JsonObject = z.record(z.string(), z.unknown()).meta({ [PRESERVE_UNKNOWN_FIELDS]: true });
export type JsonObject = z.output<typeof JsonObject>;

export function isPreserveUnknown(schema: z.ZodType): boolean {
  return z.globalRegistry.get(schema)?.[PRESERVE_UNKNOWN_FIELDS] === true;
}
