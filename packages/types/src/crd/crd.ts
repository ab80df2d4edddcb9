import { kindCategories, type KindDefinition, type PrinterColumn } from "../kinds/definition.js";
import { toStructuralSchema } from "./structural-schema.js";
import type { StructuralSchema } from "./structural-schema-types.js";

/** An apiextensions.k8s.io/v1 CustomResourceDefinition, as much of it as ARK writes. */
export interface CustomResourceDefinition {
  apiVersion: "apiextensions.k8s.io/v1";
  kind: "CustomResourceDefinition";
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[]; categories?: string[] };
    scope: "Namespaced";
    versions: CustomResourceDefinitionVersion[];
  };
}

export interface CustomResourceDefinitionVersion {
  name: string;
  served: true;
  storage: true;
  additionalPrinterColumns?: PrinterColumn[];
  schema: { openAPIV3Schema: StructuralSchema };
  subresources: { status: Record<string, never> };
}

export function crdName(def: Pick<KindDefinition, "plural" | "group">): string {
  return `${def.plural}.${def.group}`;
}

/** The schema of a whole object of this kind: what a CRD validates and what /openapi/v3 serves. */
export function openAPIV3SchemaFor(def: KindDefinition): StructuralSchema {
  const article = /^[AEIOU]/.test(def.kind) ? "An" : "A";
  return {
    description: `${article} ${def.kind} (${def.group}/${def.version}).`,
    type: "object",
    properties: {
      apiVersion: {
        description: "The versioned schema of this representation of an object.",
        type: "string",
      },
      kind: {
        description: "The REST resource this object represents.",
        type: "string",
      },
      metadata: { type: "object" },
      spec: toStructuralSchema(def.spec),
      status: toStructuralSchema(def.status),
    },
    required: ["spec"],
  };
}

export function toCustomResourceDefinition(def: KindDefinition): CustomResourceDefinition {
  const version: CustomResourceDefinitionVersion = {
    name: def.version,
    served: true,
    storage: true,
    ...(def.printerColumns.length > 0 ? { additionalPrinterColumns: def.printerColumns.map(printerColumn) } : {}),
    schema: { openAPIV3Schema: openAPIV3SchemaFor(def) },
    subresources: { status: {} },
  };
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: crdName(def) },
    spec: {
      group: def.group,
      names: {
        kind: def.kind,
        listKind: def.listKind,
        plural: def.plural,
        singular: def.singular,
        ...(def.shortNames !== undefined && def.shortNames.length > 0 ? { shortNames: [...def.shortNames] } : {}),
        categories: kindCategories(def),
      },
      scope: "Namespaced",
      versions: [version],
    },
  };
}

// Fixed key order, so the YAML does not depend on how the kind definition spelled the column.
function printerColumn(column: PrinterColumn): PrinterColumn {
  return {
    name: column.name,
    type: column.type,
    jsonPath: column.jsonPath,
    ...(column.description !== undefined ? { description: column.description } : {}),
    ...(column.priority !== undefined ? { priority: column.priority } : {}),
  };
}
