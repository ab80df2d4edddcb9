import type { ApiContext } from "../api/context.js";
import { stampNewObject } from "../api/write/object-meta.js";
import type { KubeObject, ObjectKey } from "../kube-object.js";
import type { PolicyRule } from "../rbac/policy-rule.js";
import { builtinResources, RBAC_GROUP } from "../resources/builtin.js";
import type { ResourceType } from "../resource-type.js";
import { AlreadyExistsError, PreconditionFailedError } from "../store/errors.js";
import { serviceAccountUsername } from "./user.js";

export interface ServiceIdentitySpec {
  /** The ServiceAccount's namespace (created when missing). */
  namespace: string;
  /** The ServiceAccount's name: the service's identity is `system:serviceaccount:<namespace>:<name>`. */
  name: string;
  /** Granted in every namespace: a ClusterRole `ark:service:<name>` and its ClusterRoleBinding. */
  clusterRules?: readonly PolicyRule[];
  /** Granted in one namespace each: a Role `ark:service:<name>` and its RoleBinding there. */
  namespaceRules?: Readonly<Record<string, readonly PolicyRule[]>>;
  /** Lifetime of the returned token; default one year (a new one is minted on every start). */
  expirationSeconds?: number;
}

export interface ServiceIdentity {
  username: string;
  token: string;
  expiresAt: Date;
}

const DEFAULT_SERVICE_TOKEN_SECONDS = 365 * 24 * 3600;
const MANAGED_BY = { "app.kubernetes.io/managed-by": "ark-apiserver" };
const typeOf = (group: string, plural: string): ResourceType => builtinResources.find((r) => r.group === group && r.plural === plural)!;

/**
 * Gives a service its own least-privilege identity on this server: ensures the ServiceAccount, the ClusterRole
 * and Roles holding exactly `rules` (written again when they differ) and their bindings, then returns a token
 * of that ServiceAccount. For a composition root (`ark dev`) that starts services next to ark-apiserver.
 */
export async function ensureServiceIdentity(ctx: ApiContext, spec: ServiceIdentitySpec): Promise<ServiceIdentity> {
  const roleName = `ark:service:${spec.name}`;
  const subjects = [{ kind: "ServiceAccount", name: spec.name, namespace: spec.namespace }];
  await ensureObject(ctx, typeOf("", "namespaces"), { metadata: { name: spec.namespace } }, []);
  const sa = await ensureObject(ctx, typeOf("", "serviceaccounts"), { metadata: { name: spec.name, namespace: spec.namespace } }, []);
  if (spec.clusterRules) {
    await ensureObject(ctx, typeOf(RBAC_GROUP, "clusterroles"), { metadata: { name: roleName }, rules: spec.clusterRules }, ["rules"]);
    const roleRef = { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: roleName };
    await ensureObject(ctx, typeOf(RBAC_GROUP, "clusterrolebindings"), { metadata: { name: roleName }, roleRef, subjects }, ["subjects"]);
  }
  for (const [namespace, rules] of Object.entries(spec.namespaceRules ?? {})) {
    await ensureObject(ctx, typeOf("", "namespaces"), { metadata: { name: namespace } }, []);
    await ensureObject(ctx, typeOf(RBAC_GROUP, "roles"), { metadata: { name: roleName, namespace }, rules }, ["rules"]);
    const roleRef = { apiGroup: RBAC_GROUP, kind: "Role", name: roleName };
    await ensureObject(ctx, typeOf(RBAC_GROUP, "rolebindings"), { metadata: { name: roleName, namespace }, roleRef, subjects }, ["subjects"]);
  }
  // The token works at once: the authorizer sees the bindings just written.
  await ctx.feed.catchUp();
  const issued = ctx.access.tokens.issue({ namespace: spec.namespace, name: spec.name, uid: sa.metadata.uid ?? "" }, { expirationSeconds: spec.expirationSeconds ?? DEFAULT_SERVICE_TOKEN_SECONDS });
  return { username: serviceAccountUsername(spec.namespace, spec.name), token: issued.token, expiresAt: issued.expiresAt };
}

/** Creates `desired`, or brings the `owned` fields of the stored object back to it; returns the stored object. */
async function ensureObject(ctx: ApiContext, rt: ResourceType, desired: Omit<KubeObject, "metadata"> & { metadata: { name: string; namespace?: string } }, owned: string[]): Promise<KubeObject> {
  const key: ObjectKey = { group: rt.group, resource: rt.plural, namespace: rt.namespaced ? (desired.metadata.namespace ?? "") : "", name: desired.metadata.name };
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.store.get(key);
    try {
      if (!current) {
        const labels = rt.kind === "Namespace" ? { "kubernetes.io/metadata.name": desired.metadata.name } : MANAGED_BY;
        const object = stampNewObject(rt, { ...desired, metadata: { ...desired.metadata, labels } }, rt.namespaced ? key.namespace : undefined);
        const stamped = rt.kind === "Namespace" ? { ...object, spec: { finalizers: ["kubernetes"] } } : object;
        return (await ctx.store.commit({ type: "ADDED", key, object: stamped })).object;
      }
      const changed = owned.filter((field) => JSON.stringify(current.object[field]) !== JSON.stringify(desired[field]));
      if (changed.length === 0) return current.object;
      const next = { ...current.object, ...Object.fromEntries(changed.map((field) => [field, desired[field]])) };
      return (await ctx.store.commit({ type: "MODIFIED", key, object: next, expectedResourceVersion: current.resourceVersion, previousText: current.text })).object;
    } catch (err) {
      if (attempt >= 5 || !(err instanceof AlreadyExistsError || err instanceof PreconditionFailedError)) throw err;
    }
  }
}
