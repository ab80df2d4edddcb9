import type { PrinterColumn } from "@ark/types";
import type { ResourceType } from "../resource-type.js";
import { ageOf } from "./age.js";
import { evaluateJsonPath, formatValue } from "./jsonpath.js";

export type IncludeObject = "None" | "Metadata" | "Object";

export interface TableOptions {
  includeObject: IncludeObject;
  /** The list's metadata (resourceVersion, continue), carried over to the Table. */
  listMeta?: Record<string, unknown>;
  /** Milliseconds since the epoch; ages are computed against it. */
  now?: number;
}

type KubeObject = Record<string, unknown> & { metadata?: Record<string, unknown> };

const nameColumn: PrinterColumn = {
  name: "Name",
  type: "string",
  jsonPath: ".metadata.name",
  description: "Name must be unique within a namespace.",
};
const isNameColumn = (c: PrinterColumn): boolean => c.jsonPath === ".metadata.name";
const defaultAgeColumn: PrinterColumn = {
  name: "Age",
  type: "date",
  jsonPath: ".metadata.creationTimestamp",
  description: "When the object was created.",
};

/**
 * Server-side printing: a meta.k8s.io/v1 Table with Name, the resource's printer columns (or Age), one row
 * per object. A resource may place Name itself (Events show it only with -o wide) by listing `.metadata.name`.
 */
export function toTable(resource: ResourceType, objects: readonly KubeObject[], options: TableOptions): Record<string, unknown> {
  const printed = resource.printerColumns.length > 0 ? resource.printerColumns : [defaultAgeColumn];
  const placesName = printed.some(isNameColumn);
  const columns = placesName ? printed : [nameColumn, ...printed];
  const now = options.now ?? Date.now();
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: options.listMeta ?? {},
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: isNameColumn(c) ? "name" : "",
      description: c.description ?? "",
      priority: c.priority ?? 0,
    })),
    rows: objects.map((obj) => ({
      cells: columns.map((c) => (isNameColumn(c) ? (obj.metadata?.name ?? "") : cell(c, obj, now))),
      ...rowObject(obj, options.includeObject),
    })),
  };
}

/** The Table a watch event carries: the same columns, one row. */
export function toWatchEventTable(resource: ResourceType, object: KubeObject, options: TableOptions): Record<string, unknown> {
  return toTable(resource, [object], options);
}

function rowObject(obj: KubeObject, includeObject: IncludeObject): { object?: unknown } {
  if (includeObject === "None") return {};
  if (includeObject === "Object") return { object: obj };
  return { object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata ?? {} } };
}

// As apiextensions' table convertor: null for no value, typed cells, dates rendered as ages.
function cell(column: PrinterColumn, obj: KubeObject, now: number): unknown {
  let values: unknown[];
  try {
    values = evaluateJsonPath(column.jsonPath, obj);
  } catch {
    return null;
  }
  const value = values[0];
  if (value === undefined || value === null) return null;
  switch (column.type) {
    case "string":
      return values.map(formatValue).join(",");
    case "integer":
      return typeof value === "number" ? Math.trunc(value) : null;
    case "number":
      return typeof value === "number" ? value : null;
    case "boolean":
      return typeof value === "boolean" ? value : null;
    case "date":
      return ageOf(value, now);
  }
}
