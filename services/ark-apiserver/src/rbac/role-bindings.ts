import type { UserInfo } from "../auth/user.js";
import { serviceAccountUsername } from "../auth/user.js";
import type { ObjectCache } from "../cache/object-cache.js";
import type { KubeObject } from "../kube-object.js";
import { isPlainObject } from "../kube-object.js";
import { RBAC_GROUP } from "../resources/builtin.js";
import { rulesOf, type PolicyRule } from "./policy-rule.js";

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  kind: string;
  name: string;
}

interface Binding {
  namespace: string;
  subjects: Subject[];
  roleRef: RoleRef;
}

interface Snapshot {
  clusterRoles: Map<string, KubeObject>;
  /** By `namespace/name`. */
  roles: Map<string, PolicyRule[]>;
  clusterRoleBindings: Binding[];
  roleBindings: Map<string, Binding[]>;
  /** Effective ClusterRole rules (aggregation applied), computed on first use. */
  clusterRoleRules: Map<string, PolicyRule[]>;
}

/** Visits one rule; returns false to stop. `error` reports a binding whose role is missing. */
export type RuleVisitor = (rule: PolicyRule | undefined, error?: string) => boolean;

/**
 * The RBAC objects as the object cache holds them, indexed for authorization. Rebuilt on the first question
 * after `invalidate()` (called when a change to an RBAC kind arrives).
 */
export class RoleBindings {
  private snapshot: Snapshot | undefined;

  constructor(private readonly cache: ObjectCache) {}

  invalidate(): void {
    this.snapshot = undefined;
  }

  /** Every rule granted to `user` in `namespace` ("" for cluster-wide only): ClusterRoleBindings first, as Kubernetes. */
  visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): void {
    const s = (this.snapshot ??= this.load());
    const visitBinding = (binding: Binding): boolean => {
      if (!binding.subjects.some((subject) => appliesTo(user, subject, binding.namespace))) return true;
      const rules = this.roleRules(s, binding.roleRef, binding.namespace);
      if (rules === undefined) return visit(undefined, `${binding.roleRef.kind.toLowerCase()}.${RBAC_GROUP} "${binding.roleRef.name}" not found`);
      for (const rule of rules) if (!visit(rule)) return false;
      return true;
    };
    for (const binding of s.clusterRoleBindings) if (!visitBinding(binding)) return;
    if (namespace === "") return;
    for (const binding of s.roleBindings.get(namespace) ?? []) if (!visitBinding(binding)) return;
  }

  /** Names of the Roles and ClusterRoles bound to `user` in `namespace` (and cluster-wide): what an approver's `role` names. */
  roleNamesFor(user: UserInfo, namespace: string): string[] {
    const s = (this.snapshot ??= this.load());
    const bindings = [...s.clusterRoleBindings, ...(namespace === "" ? [] : (s.roleBindings.get(namespace) ?? []))];
    const names = bindings.filter((binding) => binding.subjects.some((subject) => appliesTo(user, subject, binding.namespace))).map((binding) => binding.roleRef.name);
    return [...new Set(names)];
  }

  /** The rules a roleRef grants (a Role in `namespace` or a ClusterRole); undefined when it does not exist. */
  rulesOfRole(roleRef: RoleRef, namespace: string): PolicyRule[] | undefined {
    return this.roleRules((this.snapshot ??= this.load()), roleRef, namespace);
  }

  private roleRules(s: Snapshot, ref: RoleRef, namespace: string): PolicyRule[] | undefined {
    if (ref.kind === "Role") return namespace === "" ? undefined : s.roles.get(`${namespace}/${ref.name}`);
    if (ref.kind !== "ClusterRole") return undefined;
    const cached = s.clusterRoleRules.get(ref.name);
    if (cached) return cached;
    const role = s.clusterRoles.get(ref.name);
    if (!role) return undefined;
    const rules = [...rulesOf(role), ...aggregatedRules(s, role)];
    s.clusterRoleRules.set(ref.name, rules);
    return rules;
  }

  private load(): Snapshot {
    const list = (resource: string) => (this.cache.list({ group: RBAC_GROUP, resource }, [])?.items ?? []).map((item) => JSON.parse(item.text) as KubeObject);
    const clusterRoles = new Map(list("clusterroles").map((o) => [o.metadata.name ?? "", o]));
    const roles = new Map(list("roles").map((o) => [`${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`, rulesOf(o)]));
    const clusterRoleBindings = list("clusterrolebindings").flatMap((o) => bindingOf(o, ""));
    const roleBindings = new Map<string, Binding[]>();
    for (const o of list("rolebindings")) {
      const namespace = o.metadata.namespace ?? "";
      for (const binding of bindingOf(o, namespace)) {
        const inNamespace = roleBindings.get(namespace) ?? [];
        inNamespace.push(binding);
        roleBindings.set(namespace, inNamespace);
      }
    }
    return { clusterRoles, roles, clusterRoleBindings, roleBindings, clusterRoleRules: new Map() };
  }
}

function bindingOf(o: KubeObject, namespace: string): Binding[] {
  const roleRef = o.roleRef;
  if (!isPlainObject(roleRef) || typeof roleRef.kind !== "string" || typeof roleRef.name !== "string") return [];
  const subjects = Array.isArray(o.subjects) ? o.subjects.filter((s): s is Subject => isPlainObject(s) && typeof s.kind === "string" && typeof s.name === "string") : [];
  return [{ namespace, subjects, roleRef: { kind: roleRef.kind, name: roleRef.name } }];
}

/** Kubernetes' appliesToUser: a ServiceAccount subject without a namespace means the binding's namespace. */
function appliesTo(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case "User":
      return user.username === subject.name;
    case "Group":
      return user.groups.includes(subject.name);
    case "ServiceAccount": {
      const namespace = subject.namespace || bindingNamespace;
      return namespace !== "" && user.username === serviceAccountUsername(namespace, subject.name);
    }
    default:
      return false;
  }
}

/** The rules of the ClusterRoles an aggregationRule selects (Kubernetes' ClusterRole aggregation, computed on read). */
function aggregatedRules(s: Snapshot, role: KubeObject): PolicyRule[] {
  const aggregation = role.aggregationRule;
  if (!isPlainObject(aggregation) || !Array.isArray(aggregation.clusterRoleSelectors)) return [];
  const rules: PolicyRule[] = [];
  for (const other of s.clusterRoles.values()) {
    if (other === role) continue;
    const labels = other.metadata.labels ?? {};
    if (aggregation.clusterRoleSelectors.some((selector) => selectorMatches(selector, labels))) rules.push(...rulesOf(other));
  }
  return rules;
}

function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isPlainObject(selector)) return false;
  const matchLabels = isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return false;
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return expressions.every((e: unknown) => {
    if (!isPlainObject(e) || typeof e.key !== "string") return false;
    const values = Array.isArray(e.values) ? (e.values as unknown[]) : [];
    const value = labels[e.key];
    switch (e.operator) {
      case "In":
        return value !== undefined && values.includes(value);
      case "NotIn":
        return value === undefined || !values.includes(value);
      case "Exists":
        return value !== undefined;
      case "DoesNotExist":
        return value === undefined;
      default:
        return false;
    }
  });
}
