import type { ResourceType } from "../resource-type.js";
import { STATUS_VERBS } from "../resources/verbs.js";
import { groupVersions } from "./version-order.js";

export type AggregatedDiscoveryVersion = "v2" | "v2beta1";

/**
 * The APIGroupDiscoveryList for `/api` ("core") or `/apis`: one request gives kubectl every
 * resource, so it never asks for `/api/v1` or `/apis/<g>/<v>`.
 */
export function aggregatedDiscovery(resources: readonly ResourceType[], root: "core" | "apis", version: AggregatedDiscoveryVersion = "v2"): Record<string, unknown> {
  const inRoot = resources.filter((r) => (root === "core" ? r.group === "" : r.group !== ""));
  const items = [...groupVersions(inRoot)].map(([group, versions]) => ({
    metadata: group === "" ? { creationTimestamp: null } : { name: group, creationTimestamp: null },
    versions: versions.map((v) => ({
      version: v,
      resources: inRoot.filter((r) => r.group === group && r.version === v).map(discoveryResource),
      freshness: "Current",
    })),
  }));
  return { kind: "APIGroupDiscoveryList", apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

function discoveryResource(r: ResourceType): Record<string, unknown> {
  const responseKind = { group: r.group, version: r.version, kind: r.kind };
  const subresources = [
    ...(r.statusSubresource ? [{ subresource: "status", responseKind, verbs: STATUS_VERBS }] : []),
    ...(r.extraSubresources ?? []).map((s) => ({ subresource: s.name, responseKind: s.responseKind, verbs: s.verbs })),
  ];
  return {
    resource: r.plural,
    responseKind,
    scope: r.namespaced ? "Namespaced" : "Cluster",
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length > 0 ? { shortNames: r.shortNames } : {}),
    ...(r.categories && r.categories.length > 0 ? { categories: r.categories } : {}),
    ...(subresources.length > 0 ? { subresources } : {}),
  };
}
