import { StructuralSchemaError } from "./structural-schema-types.js";

export type RawSchema = { [key: string]: unknown };

const refPrefixes = ["#/definitions/", "#/$defs/", "#/components/schemas/"];

/**
 * Replaces a node's `$ref` (and the single-member `allOf` zod wraps around a described or optional ref)
 * by the schema it points at; keywords beside the ref win, so a use-site description overrides the shared one.
 * `refChain` is the refs already being expanded above this node: seeing one again means recursion.
 */
export function inlineRefs(node: RawSchema, root: RawSchema, path: string, refChain: readonly string[]): { node: RawSchema; refChain: readonly string[] } {
  let current = node;
  let chain = refChain;
  for (;;) {
    const { $ref, allOf, ...rest } = current;
    if (typeof $ref === "string") {
      if (chain.includes($ref)) throw new StructuralSchemaError(path, `recursive schema ${$ref} (a CRD schema must be finite)`);
      current = { ...lookupRef(root, $ref, path), ...rest, ...(allOf === undefined ? {} : { allOf }) };
      chain = [...chain, $ref];
      continue;
    }
    if (allOf !== undefined) {
      if (!Array.isArray(allOf) || allOf.length !== 1) {
        throw new StructuralSchemaError(path, "allOf (z.intersection / .and) has no structural form; merge the objects with .extend()");
      }
      current = { ...(allOf[0] as RawSchema), ...rest };
      continue;
    }
    return { node: current, refChain: chain };
  }
}

function lookupRef(root: RawSchema, ref: string, path: string): RawSchema {
  if (ref === "#") return root;
  const prefix = refPrefixes.find((p) => ref.startsWith(p));
  const name = prefix === undefined ? undefined : decodeURIComponent(ref.slice(prefix.length));
  const defs = { ...(root.definitions as RawSchema | undefined), ...(root.$defs as RawSchema | undefined) };
  const target = name === undefined ? undefined : defs[name];
  if (target === undefined || target === null || typeof target !== "object") throw new StructuralSchemaError(path, `cannot resolve $ref ${ref}`);
  return target as RawSchema;
}
