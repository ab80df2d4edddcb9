import { arkKinds, GROUP } from "@ark/types";
import { timestamp } from "../api/write/object-meta.js";
import { randomUUID } from "node:crypto";
import { AUTHENTICATED, SYSTEM_MASTERS } from "../auth/user.js";
import type { KubeObject } from "../kube-object.js";
import { RBAC_GROUP } from "../resources/builtin.js";
import { AlreadyExistsError, PreconditionFailedError } from "../store/errors.js";
import type { ObjectStore } from "../store/object-store.js";
import type { PolicyRule } from "./policy-rule.js";

const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];
const arkResources = arkKinds.map((k) => k.plural);
const arkStatus = arkResources.map((plural) => `${plural}/status`);

// The default ClusterRoles, as Kubernetes' bootstrap policy with the ARK kinds in view/edit/admin.
const view: PolicyRule[] = [
  { verbs: READ, apiGroups: [GROUP], resources: [...arkResources, ...arkStatus] },
  { verbs: READ, apiGroups: [""], resources: ["configmaps", "events", "namespaces", "namespaces/status", "serviceaccounts", "services", "services/status"] },
  { verbs: READ, apiGroups: ["events.k8s.io"], resources: ["events"] },
];
const edit: PolicyRule[] = [
  ...view,
  { verbs: WRITE, apiGroups: [GROUP], resources: arkResources },
  { verbs: [...READ, ...WRITE], apiGroups: [""], resources: ["configmaps", "secrets", "serviceaccounts", "services"] },
  { verbs: ["create"], apiGroups: [""], resources: ["serviceaccounts/token"] },
  { verbs: ["impersonate"], apiGroups: [""], resources: ["serviceaccounts"] },
];
const admin: PolicyRule[] = [
  ...edit,
  { verbs: [...READ, ...WRITE], apiGroups: [RBAC_GROUP], resources: ["roles", "rolebindings"] },
  { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["localsubjectaccessreviews"] },
];

const DEFAULT_CLUSTER_ROLES: Record<string, PolicyRule[]> = {
  "cluster-admin": [
    { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
    { verbs: ["*"], nonResourceURLs: ["*"] },
  ],
  admin,
  edit,
  view,
  "system:discovery": [
    {
      verbs: ["get"],
      nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"],
    },
  ],
  "system:basic-user": [
    { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] },
    { verbs: ["create"], apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"] },
  ],
  "system:public-info-viewer": [{ verbs: ["get"], nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"] }],
};

const DEFAULT_CLUSTER_ROLE_BINDINGS: Record<string, { role: string; group: string }> = {
  "cluster-admin": { role: "cluster-admin", group: SYSTEM_MASTERS },
  "system:discovery": { role: "system:discovery", group: AUTHENTICATED },
  "system:basic-user": { role: "system:basic-user", group: AUTHENTICATED },
  "system:public-info-viewer": { role: "system:public-info-viewer", group: AUTHENTICATED },
};

const AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate";

function bootstrapObject(kind: string, name: string, body: Record<string, unknown>): KubeObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind,
    metadata: {
      name,
      uid: randomUUID(),
      creationTimestamp: timestamp(),
      labels: { "kubernetes.io/bootstrapping": "rbac-defaults" },
      annotations: { [AUTOUPDATE]: "true" },
    },
    ...body,
  };
}

/** Subjects added to a default binding stay; the default ones are put back. */
function withMissingSubjects(current: unknown, desired: unknown): unknown[] {
  const have = Array.isArray(current) ? current : [];
  const missing = (desired as { kind: string; name: string }[]).filter((d) => !have.some((h: { kind?: unknown; name?: unknown }) => h.kind === d.kind && h.name === d.name));
  return [...have, ...missing];
}

/**
 * Creates the default ClusterRoles and ClusterRoleBindings at start, and puts back the rules and subjects of those
 * still marked `rbac.authorization.kubernetes.io/autoupdate: "true"` (as Kubernetes reconciles its bootstrap policy).
 */
export async function seedBootstrapPolicy(store: ObjectStore): Promise<void> {
  for (const [name, rules] of Object.entries(DEFAULT_CLUSTER_ROLES)) {
    await reconcile(store, "clusterroles", bootstrapObject("ClusterRole", name, { rules }), "rules");
  }
  for (const [name, { role, group }] of Object.entries(DEFAULT_CLUSTER_ROLE_BINDINGS)) {
    const body = {
      roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: role },
      subjects: [{ apiGroup: RBAC_GROUP, kind: "Group", name: group }],
    };
    await reconcile(store, "clusterrolebindings", bootstrapObject("ClusterRoleBinding", name, body), "subjects");
  }
}

async function reconcile(store: ObjectStore, resource: string, desired: KubeObject, field: "rules" | "subjects"): Promise<void> {
  const key = { group: RBAC_GROUP, resource, namespace: "", name: desired.metadata.name ?? "" };
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await store.get(key);
    try {
      if (!current) {
        await store.commit({ type: "ADDED", key, object: desired });
        return;
      }
      if (current.object.metadata.annotations?.[AUTOUPDATE] !== "true") return;
      const wanted = field === "rules" ? desired.rules : withMissingSubjects(current.object.subjects, desired.subjects);
      if (JSON.stringify(current.object[field]) === JSON.stringify(wanted)) return;
      const next = { ...current.object, [field]: wanted };
      await store.commit({ type: "MODIFIED", key, object: next, expectedResourceVersion: current.resourceVersion, previousText: current.text });
      return;
    } catch (err) {
      if (!(err instanceof AlreadyExistsError || err instanceof PreconditionFailedError)) throw err;
    }
  }
}
