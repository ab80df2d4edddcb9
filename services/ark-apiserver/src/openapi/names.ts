import type { ResourceType } from "../resource-type.js";

export const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
export const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

/** The components.schemas name Kubernetes uses: io.k8s.api.core.v1.Secret, com.mckinsey.ark.v1alpha1.Agent. */
export function schemaName(r: Pick<ResourceType, "group" | "version">, kind: string): string {
  if (r.group === "") return `io.k8s.api.core.${r.version}.${kind}`;
  if (r.group.endsWith(".k8s.io")) return `io.k8s.api.${r.group.split(".")[0]}.${r.version}.${kind}`;
  return `${r.group.split(".").reverse().join(".")}.${r.version}.${kind}`;
}

/** Path of the resource's collection; `{namespace}` appears for namespaced resources. */
export function collectionPath(r: ResourceType, allNamespaces = false): string {
  const root = r.group === "" ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  return r.namespaced && !allNamespaces ? `${root}/namespaces/{namespace}/${r.plural}` : `${root}/${r.plural}`;
}
