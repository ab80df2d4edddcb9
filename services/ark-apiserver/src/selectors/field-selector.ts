import type { KubeObject } from "../kube-object.js";
import { SelectorParseError } from "./label-selector.js";

/** Field selectors: `metadata.name=x,metadata.namespace!=y`, any dotted path compared as a string. */
export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

export function parseFieldSelector(selector: string | undefined): FieldRequirement[] {
  if (!selector || selector.trim() === "") return [];
  return selector.split(",").map((part) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw new SelectorParseError(`invalid selector: '${selector}'; can't understand '${part}'`);
    return { field: m[1]!, op: m[2] === "!=" ? "!=" : "=", value: m[3]! };
  });
}

function fieldValue(obj: KubeObject, path: string): string {
  let value: unknown = obj;
  for (const segment of path.split(".")) {
    if (typeof value !== "object" || value === null) return "";
    value = (value as Record<string, unknown>)[segment];
  }
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : String(value);
}

export function matchesFields(requirements: FieldRequirement[], obj: KubeObject): boolean {
  return requirements.every((r) => (fieldValue(obj, r.field) === r.value) === (r.op === "="));
}

/** Requirements the store answers from columns, so objects need not be parsed. */
export function isColumnField(field: string): field is "metadata.name" | "metadata.namespace" {
  return field === "metadata.name" || field === "metadata.namespace";
}
