import type { KubeObject } from "../kube-object.js";
import { matchesFields, type FieldRequirement } from "../selectors/field-selector.js";
import { matchesLabels, type LabelRequirement } from "../selectors/label-selector.js";
import type { Change } from "../store/change-log.js";

export interface WatchFilter {
  group: string;
  resource: string;
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

/** Whether a change concerns this watch, and as what: an object leaving the selection is DELETED for it. */
export function eventTypeFor(filter: WatchFilter, change: Change): WatchEventType | undefined {
  if (change.group !== filter.group || change.resource !== filter.resource) return undefined;
  if (filter.namespace !== undefined && change.namespace !== filter.namespace) return undefined;
  if (filter.labels.length === 0 && filter.fields.length === 0) return change.type;
  const matchesNow = matches(filter, change.labels, change.object);
  if (change.type !== "MODIFIED") return matchesNow ? change.type : undefined;
  const prev = change.prevObject ? (JSON.parse(change.prevObject) as KubeObject) : undefined;
  const matchedBefore = prev ? matches(filter, prev.metadata.labels ?? {}, prev) : false;
  if (matchesNow) return matchedBefore ? "MODIFIED" : "ADDED";
  return matchedBefore ? "DELETED" : undefined;
}

function matches(filter: WatchFilter, labels: Record<string, string>, object: string | KubeObject): boolean {
  if (!matchesLabels(filter.labels, labels)) return false;
  if (filter.fields.length === 0) return true;
  const parsed = typeof object === "string" ? (JSON.parse(object) as KubeObject) : object;
  return matchesFields(filter.fields, parsed);
}
