import type { CliKind } from "../manifests/kinds.js";

/** ark-api's collection path for a kind (namespaces are not namespaced). */
export function collectionPath(kind: CliKind, namespace: string): string {
  if (kind.shape === "namespace") return "/v1/namespaces";
  return `/v1/namespaces/${encodeURIComponent(namespace)}/${kind.segment}`;
}

export function itemPath(kind: CliKind, namespace: string, name: string): string {
  return `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}`;
}
