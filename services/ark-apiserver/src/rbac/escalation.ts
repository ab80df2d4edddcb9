import { statusErrors } from "../api/status.js";
import type { AccessControl } from "../auth/access-control.js";
import { SYSTEM_MASTERS, type UserInfo } from "../auth/user.js";
import { isPlainObject, type KubeObject } from "../kube-object.js";
import { RBAC_GROUP } from "../resources/builtin.js";
import type { ResourceType } from "../resource-type.js";
import { rulesOf, uncoveredRules, type PolicyRule } from "./policy-rule.js";

/**
 * Kubernetes' RBAC escalation prevention on writes of RBAC objects: a Role or ClusterRole may only grant what
 * the writer already holds (or the writer may `escalate`); a binding may only grant a role whose rules the writer
 * holds (or the writer may `bind` that role). A binding's roleRef cannot change. Throws 403/422.
 */
export function checkRbacWrite(access: AccessControl, user: UserInfo | undefined, rt: ResourceType, object: KubeObject, previous?: KubeObject): void {
  if (rt.group !== RBAC_GROUP) return;
  const name = object.metadata.name ?? "";
  const namespace = rt.namespaced ? (object.metadata.namespace ?? "") : "";
  const isBinding = rt.plural === "rolebindings" || rt.plural === "clusterrolebindings";
  if (isBinding && previous && JSON.stringify(previous.roleRef) !== JSON.stringify(object.roleRef)) {
    throw statusErrors.invalid(
      rt,
      name,
      [`roleRef: Invalid value: ${JSON.stringify(object.roleRef)}: cannot change roleRef`],
      [{ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(object.roleRef)}: cannot change roleRef`, field: "roleRef" }],
    );
  }
  if (!user || user.groups.includes(SYSTEM_MASTERS)) return;
  const may = (verb: string, resource: string, resourceName: string) =>
    access.authorizer.authorize(user, {
      resourceRequest: true,
      verb,
      apiGroup: RBAC_GROUP,
      apiVersion: "v1",
      resource,
      subresource: "",
      namespace,
      name: resourceName,
    }).allowed;

  let granted: PolicyRule[];
  if (isBinding) {
    const roleRef = isPlainObject(object.roleRef) ? object.roleRef : {};
    const kind = typeof roleRef.kind === "string" ? roleRef.kind : "";
    const roleName = typeof roleRef.name === "string" ? roleRef.name : "";
    if (may("bind", kind === "Role" ? "roles" : "clusterroles", roleName)) return;
    const rules = access.bindings.rulesOfRole({ kind, name: roleName }, namespace);
    if (rules === undefined) {
      throw statusErrors.forbidden(rt, name, `${kind.toLowerCase()}.${RBAC_GROUP} "${roleName}" not found; only a user who may bind it can create this binding`);
    }
    granted = rules;
  } else {
    if (may("escalate", rt.plural, name)) return;
    // An aggregationRule can gather any ClusterRole's rules: as Kubernetes, only one who holds everything may set it.
    granted = hasAggregationRule(object) ? FULL_AUTHORITY : rulesOf(object);
  }
  const missing = uncoveredRules(access.authorizer.rulesFor(user, namespace).rules, granted);
  if (missing.length === 0) return;
  const why = `user "${user.username}" (groups=${JSON.stringify(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${missing.map(describeRule).join("\n")}`;
  throw statusErrors.forbidden(rt, name, why);
}

const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
  { verbs: ["*"], nonResourceURLs: ["*"] },
];

function hasAggregationRule(object: KubeObject): boolean {
  const rule = object.aggregationRule;
  return isPlainObject(rule) && Array.isArray(rule.clusterRoleSelectors) && rule.clusterRoleSelectors.length > 0;
}

function describeRule(rule: PolicyRule): string {
  const list = (values: string[] | undefined) => `[${(values ?? []).map((v) => JSON.stringify(v)).join(" ")}]`;
  if (rule.nonResourceURLs) return `{NonResourceURLs:${list(rule.nonResourceURLs)}, Verbs:${list(rule.verbs)}}`;
  const names = rule.resourceNames && rule.resourceNames.length > 0 ? `, ResourceNames:${list(rule.resourceNames)}` : "";
  return `{APIGroups:${list(rule.apiGroups)}, Resources:${list(rule.resources)}${names}, Verbs:${list(rule.verbs)}}`;
}
