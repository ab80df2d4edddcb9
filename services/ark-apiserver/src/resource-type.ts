import type { PrinterColumn } from "@ark/types";

/** One resource the API server serves: an ARK kind or a built-in (Secret, ConfigMap, Namespace, …). */
export interface ResourceType {
  /** "" for the core group (`/api/v1`). */
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  /** Groups the resource belongs to for `kubectl get <category>` (e.g. "all"); advertised by discovery. */
  categories?: string[];
  verbs: string[];
  /** Whether `/status` is a subresource (spec and status are then written separately). */
  statusSubresource: boolean;
  /** Other subresources, for discovery (e.g. serviceaccounts/token: create, answering a TokenRequest). */
  extraSubresources?: ExtraSubresource[];
  /** Not stored: a request kind answered on create only (access reviews), no list/get/watch. */
  createOnly?: boolean;
  printerColumns: PrinterColumn[];
  /** Structural OpenAPI v3 schema of the whole object, for /openapi/v3 (kubectl's validation). */
  openAPISchema: Record<string, unknown>;
}

interface ExtraSubresource {
  name: string;
  responseKind: { group: string; version: string; kind: string };
  verbs: string[];
}

export function groupVersion(r: Pick<ResourceType, "group" | "version">): string {
  return r.group === "" ? r.version : `${r.group}/${r.version}`;
}
