import { isColumnField, parseFieldSelector, type FieldRequirement } from "../selectors/field-selector.js";
import { parseLabelSelector, SelectorParseError, type LabelRequirement } from "../selectors/label-selector.js";
import type { ListQuery } from "../store/object-store.js";
import { failure, statusErrors, type StatusCause, type StatusError } from "./status.js";

export interface ContinueToken {
  rv: number;
  namespace: string;
  name: string;
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", ...token })).toString("base64url");
}

export function decodeContinue(text: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Partial<ContinueToken>;
    if (typeof t.rv === "number" && typeof t.namespace === "string" && typeof t.name === "string") {
      return { rv: t.rv, namespace: t.namespace, name: t.name };
    }
  } catch {
    // fall through to the error below
  }
  throw statusErrors.badRequest(`continue key is not valid: ${text}`);
}

/** Selectors split into what the store answers in SQL and what is checked on parsed objects. */
export interface Selection {
  query: Omit<ListQuery, "group" | "resource">;
  labels: LabelRequirement[];
  /** Field requirements beyond metadata.name/namespace. */
  otherFields: FieldRequirement[];
  /** A requirement no object can meet (e.g. namespace=a on a request for namespace b). */
  empty: boolean;
}

export function selectionFrom(query: URLSearchParams, namespace: string | undefined): Selection {
  let labels: LabelRequirement[];
  let fields: FieldRequirement[];
  try {
    labels = parseLabelSelector(query.get("labelSelector") ?? undefined);
    fields = parseFieldSelector(query.get("fieldSelector") ?? undefined);
  } catch (err) {
    if (err instanceof SelectorParseError) throw statusErrors.badRequest(err.message);
    throw err;
  }
  const selection: Selection = { query: { labels, ...(namespace !== undefined ? { namespace } : {}) }, labels, otherFields: [], empty: false };
  for (const f of fields) {
    if (!isColumnField(f.field)) selection.otherFields.push(f);
    else if (f.field === "metadata.name") {
      if (f.op === "=") selection.query.name = f.value;
      else selection.query.excludeName = f.value;
    } else if (f.op === "=") {
      if (selection.query.namespace !== undefined && selection.query.namespace !== f.value) selection.empty = true;
      selection.query.namespace = f.value;
    } else selection.query.excludeNamespace = f.value;
  }
  return selection;
}

/**
 * Kubernetes' checks of list and watch options (resourceVersionMatch, sendInitialEvents, allowWatchBookmarks):
 * 422 `ListOptions.meta.k8s.io "" is invalid` with a cause per field, as kube-apiserver answers.
 */
export function checkListOptions(query: URLSearchParams, watch: boolean): void {
  const causes: StatusCause[] = [];
  const forbidden = (field: string, detail: string) => causes.push({ reason: "FieldValueForbidden", message: `Forbidden: ${detail}`, field });
  const notSupported = (field: string, value: string, supported: string[]) =>
    causes.push({ reason: "FieldValueNotSupported", message: `Unsupported value: "${value}": supported values: ${supported.map((v) => `"${v}"`).join(", ")}`, field });
  const match = query.get("resourceVersionMatch") ?? "";
  const rv = query.get("resourceVersion") ?? "";
  const sendInitialEvents = query.get("sendInitialEvents");
  const continued = (query.get("continue") ?? "") !== "";
  if (watch) {
    if (sendInitialEvents !== null) {
      if (match !== "NotOlderThan") forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
      if (query.get("allowWatchBookmarks") !== "true") forbidden("allowWatchBookmarks", "sendInitialEvents requires setting allowWatchBookmarks to true");
    }
    if (match !== "") {
      if (sendInitialEvents === null) forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
      if (match !== "NotOlderThan") notSupported("resourceVersionMatch", match, ["NotOlderThan"]);
      if (continued) forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided");
    }
  } else {
    if (match !== "") {
      if (rv === "") forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided");
      if (continued) forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided");
      if (match !== "Exact" && match !== "NotOlderThan") notSupported("resourceVersionMatch", match, ["Exact", "NotOlderThan", ""]);
      if (match === "Exact" && rv === "0") forbidden("resourceVersionMatch", 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    }
    if (sendInitialEvents !== null) forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list");
  }
  if (causes.length > 0) throw invalidListOptions(causes);
}

function invalidListOptions(causes: StatusCause[]): StatusError {
  const messages = causes.map((c) => `${c.field}: ${c.message}`);
  return failure(422, "Invalid", `ListOptions.meta.k8s.io "" is invalid: ${messages.length === 1 ? messages[0] : `[${messages.join(", ")}]`}`, {
    group: "meta.k8s.io",
    kind: "ListOptions",
    causes,
  });
}
