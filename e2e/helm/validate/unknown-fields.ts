import * as k8s from "@kubernetes/client-node";

/** client-node's generated model class for each built-in kind the charts render (its attribute map lists the real fields). */
const MODEL_TYPES: Record<string, string> = {
  "apps/v1/Deployment": "V1Deployment",
  "v1/Service": "V1Service",
  "v1/ServiceAccount": "V1ServiceAccount",
  "v1/PersistentVolumeClaim": "V1PersistentVolumeClaim",
  "autoscaling/v2/HorizontalPodAutoscaler": "V2HorizontalPodAutoscaler",
  "policy/v1/PodDisruptionBudget": "V1PodDisruptionBudget",
  "networking.k8s.io/v1/NetworkPolicy": "V1NetworkPolicy",
  "rbac.authorization.k8s.io/v1/ClusterRole": "V1ClusterRole",
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": "V1ClusterRoleBinding",
  "rbac.authorization.k8s.io/v1/Role": "V1Role",
  "rbac.authorization.k8s.io/v1/RoleBinding": "V1RoleBinding",
  "apiextensions.k8s.io/v1/CustomResourceDefinition": "V1CustomResourceDefinition",
};

type AttributeMap = { baseName: string; type: string }[];
const models = k8s as unknown as Record<string, { getAttributeTypeMap?: () => AttributeMap } | undefined>;

/**
 * Fields Kubernetes does not know (a typo, a mis-indented block), which `helm install` rejects when it validates
 * against the cluster's OpenAPI schema, and kubernetes-models lets through. Undefined: no model for this kind here.
 */
export function unknownFields(obj: { apiVersion: string; kind: string }): string[] | undefined {
  const type = MODEL_TYPES[`${obj.apiVersion}/${obj.kind}`];
  if (!type) return undefined;
  const out: string[] = [];
  walk(obj, type, "", out);
  return out;
}

function walk(value: unknown, type: string, path: string, out: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, array[1]!, `${path}[${i}]`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, map[1]!, `${path}.${k}`, out);
    return;
  }
  const attributes = models[type]?.getAttributeTypeMap?.();
  if (!attributes || typeof value !== "object" || Array.isArray(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const attribute = attributes.find((a) => a.baseName === key);
    if (!attribute) out.push(`${path}.${key}`.replace(/^\./, ""));
    else walk(v, attribute.type, `${path}.${key}`, out);
  }
}
