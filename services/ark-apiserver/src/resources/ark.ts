import { kindCategories, openAPIV3SchemaFor, type KindDefinition } from "@ark/types";
import type { ResourceType } from "../resource-type.js";
import { STANDARD_VERBS } from "./verbs.js";

/** An ARK kind served the way its CRD would be: namespaced, with a /status subresource. */
export function arkResourceType(def: KindDefinition): ResourceType {
  return {
    group: def.group,
    version: def.version,
    kind: def.kind,
    listKind: def.listKind,
    plural: def.plural,
    singular: def.singular,
    namespaced: true,
    shortNames: [...(def.shortNames ?? [])],
    categories: kindCategories(def),
    verbs: STANDARD_VERBS,
    statusSubresource: true,
    printerColumns: def.printerColumns,
    openAPISchema: openAPIV3SchemaFor(def) as Record<string, unknown>,
  };
}
