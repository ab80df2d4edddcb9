import { required, unsupported } from "../admission/field-errors.js";
import type { FieldError, KindDefinition } from "../kinds/definition.js";
import { GROUP } from "../kinds/definition.js";
import { arkKinds, findKind } from "../kinds/index.js";

export type EnvelopeResult = { definition: KindDefinition; errors?: undefined } | { definition?: undefined; errors: FieldError[] };

/** Resolves apiVersion + kind to an ARK kind, or says which of the two is wrong. */
export function resolveEnvelope(apiVersion: unknown, kind: unknown): EnvelopeResult {
  const errors: FieldError[] = [];
  if (typeof apiVersion !== "string" || apiVersion === "") errors.push(required("apiVersion", "apiVersion must be set"));
  if (typeof kind !== "string" || kind === "") errors.push(required("kind", "kind must be set"));
  if (errors.length > 0) return { errors };
  const definition = findKind(apiVersion as string, kind as string);
  if (definition) return { definition };
  const sameKind = arkKinds.find((k) => k.kind === kind);
  if (sameKind) {
    const served = `${sameKind.group}/${sameKind.version}`;
    return { errors: [unsupported("apiVersion", apiVersion, `${kind} is served as "${served}"; supported values: "${served}"`)] };
  }
  const kindsOfVersion = arkKinds.filter((k) => `${k.group}/${k.version}` === apiVersion).map((k) => `"${k.kind}"`);
  if (kindsOfVersion.length === 0) {
    const versions = [...new Set(arkKinds.map((k) => `"${k.group}/${k.version}"`))].join(", ");
    return { errors: [unsupported("apiVersion", apiVersion, `not an ${GROUP} version; supported values: ${versions}`)] };
  }
  return { errors: [unsupported("kind", kind, `supported values: ${kindsOfVersion.join(", ")}`)] };
}
