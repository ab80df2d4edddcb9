import { isPlainObject, type KubeObject } from "../kube-object.js";
import type { ResourceType } from "../resource-type.js";

/** The defaults Kubernetes fills in for the built-in kinds ARK stores (as its defaulting on decode). */
export function withBuiltinDefaults(rt: ResourceType, obj: KubeObject): KubeObject {
  switch (rt.kind) {
    case "Secret":
      return typeof obj.type === "string" && obj.type !== "" ? obj : { ...obj, type: "Opaque" };
    case "Namespace": {
      const name = obj.metadata.name ?? "";
      const labels = { ...obj.metadata.labels, "kubernetes.io/metadata.name": name };
      const spec = isPlainObject(obj.spec) ? obj.spec : {};
      return { ...obj, metadata: { ...obj.metadata, labels }, spec: { finalizers: ["kubernetes"], ...spec } };
    }
    case "Service": {
      if (!isPlainObject(obj.spec)) return obj;
      const ports = Array.isArray(obj.spec.ports) ? obj.spec.ports.map((p: unknown) => (isPlainObject(p) ? { protocol: "TCP", ...(p.port !== undefined ? { targetPort: p.port } : {}), ...p } : p)) : obj.spec.ports;
      return { ...obj, spec: { type: "ClusterIP", sessionAffinity: "None", ...obj.spec, ...(ports !== undefined ? { ports } : {}) } };
    }
    case "RoleBinding":
    case "ClusterRoleBinding": {
      if (!Array.isArray(obj.subjects)) return obj;
      // As Kubernetes' SetDefaults_Subject: User and Group subjects are in the RBAC group, ServiceAccounts in the core group.
      const subjects = obj.subjects.map((s: unknown) =>
        isPlainObject(s) && (s.apiGroup === undefined || s.apiGroup === "") && (s.kind === "User" || s.kind === "Group") ? { ...s, apiGroup: "rbac.authorization.k8s.io" } : s,
      );
      return { ...obj, subjects };
    }
    default:
      return obj;
  }
}
