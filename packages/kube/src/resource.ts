/** Enough to address a resource type over REST; every KindDefinition from @ark/types is one. */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
}

export const SECRETS: ResourceRef = { group: "", version: "v1", plural: "secrets" };
export const CONFIG_MAPS: ResourceRef = { group: "", version: "v1", plural: "configmaps" };
export const SERVICES: ResourceRef = { group: "", version: "v1", plural: "services" };
export const EVENTS: ResourceRef = { group: "", version: "v1", plural: "events" };
export const NAMESPACES: ResourceRef = { group: "", version: "v1", plural: "namespaces" };
export const LEASES: ResourceRef = { group: "coordination.k8s.io", version: "v1", plural: "leases" };

/** `/apis/<group>/<version>[/namespaces/<ns>]/<plural>` (or `/api/v1/...` for the core group). */
export function collectionPath(ref: ResourceRef, namespace?: string): string {
  const base = ref.group === "" ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  return namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${ref.plural}` : `${base}/${ref.plural}`;
}

/** The work-queue and cache key of an object: `namespace/name`, or `name` when cluster-scoped. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { namespace: "", name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return objectKey(obj.metadata?.namespace, obj.metadata?.name ?? "");
}
