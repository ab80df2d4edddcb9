import type { z } from "zod";
import { isPreserveUnknown } from "../shared/json-object.js";

interface WalkableDef {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
}

export type SchemaNode = { kind: "object"; shape: Record<string, z.ZodType> } | { kind: "array"; element: z.ZodType } | { kind: "map"; value: z.ZodType } | { kind: "free-form" } | { kind: "scalar" };

const WRAPPERS = new Set(["optional", "default", "nullable", "prefault", "readonly", "nonoptional", "catch"]);

// Schemas never change once built: each is looked at once (admission walks them on every write).
const nodes = new WeakMap<z.ZodType, SchemaNode>();

/** What a schema expects at one level, looking through optional/default wrappers. */
export function schemaNode(schema: z.ZodType): SchemaNode {
  let node = nodes.get(schema);
  if (!node) {
    node = walk(schema);
    nodes.set(schema, node);
  }
  return node;
}

function walk(schema: z.ZodType): SchemaNode {
  let current = schema;
  for (;;) {
    if (isPreserveUnknown(current)) return { kind: "free-form" };
    const def = current._zod.def as unknown as WalkableDef;
    if (WRAPPERS.has(def.type) && def.innerType) {
      current = def.innerType;
      continue;
    }
    if (def.type === "object" && def.shape) return { kind: "object", shape: def.shape };
    if (def.type === "array" && def.element) return { kind: "array", element: def.element };
    if (def.type === "record" && def.valueType) return { kind: "map", value: def.valueType };
    if (def.type === "unknown" || def.type === "any") return { kind: "free-form" };
    return { kind: "scalar" };
  }
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
