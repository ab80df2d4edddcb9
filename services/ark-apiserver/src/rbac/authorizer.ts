import { failure, type StatusError } from "../api/status.js";
import { SYSTEM_MASTERS, type UserInfo } from "../auth/user.js";
import { ruleAllows, type PolicyRule, type RequestAttributes } from "./policy-rule.js";
import type { RoleBindings } from "./role-bindings.js";

export interface Decision {
  allowed: boolean;
  /** Why not, when RBAC met errors on the way (a binding to a missing role), as Kubernetes words it. */
  reason: string;
}

/** Kubernetes' RBAC authorizer over the role bindings, with system:masters allowed everything. */
export class Authorizer {
  constructor(private readonly bindings: RoleBindings) {}

  authorize(user: UserInfo, attrs: RequestAttributes): Decision {
    if (user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: "" };
    let allowed = false;
    const errors: string[] = [];
    const namespace = attrs.resourceRequest ? attrs.namespace : "";
    this.bindings.visitRulesFor(user, namespace, (rule, error) => {
      if (error) errors.push(error);
      if (rule && ruleAllows(rule, attrs)) allowed = true;
      return !allowed;
    });
    if (allowed) return { allowed, reason: "" };
    return { allowed, reason: errors.length === 0 ? "" : `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`}` };
  }

  /** Every rule `user` holds in `namespace` (SelfSubjectRulesReview); cluster-admins get the wildcard rules. */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    if (user.groups.includes(SYSTEM_MASTERS)) {
      return {
        rules: [
          { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
          { verbs: ["*"], nonResourceURLs: ["*"] },
        ],
        errors: [],
      };
    }
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.bindings.visitRulesFor(user, namespace, (rule, error) => {
      if (rule) rules.push(rule);
      if (error) errors.push(error);
      return true;
    });
    return { rules, errors };
  }

  /** 403 unless allowed. */
  check(user: UserInfo, attrs: RequestAttributes): void {
    const decision = this.authorize(user, attrs);
    if (!decision.allowed) throw forbidden(user, attrs, decision.reason);
  }
}

/** The 403 Status Kubernetes answers (responsewriters.Forbidden): the same message, reason and details. */
function forbidden(user: UserInfo, attrs: RequestAttributes, reason = ""): StatusError {
  let message: string;
  let details: { name?: string; group?: string; kind?: string } | undefined;
  if (!attrs.resourceRequest) {
    message = `forbidden: User "${user.username}" cannot ${attrs.verb} path "${attrs.path}"`;
  } else {
    const resource = attrs.subresource === "" ? attrs.resource : `${attrs.resource}/${attrs.subresource}`;
    const scope = attrs.namespace !== "" ? `in the namespace "${attrs.namespace}"` : "at the cluster scope";
    const why = `User "${user.username}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}" ${scope}`;
    const qualified = attrs.apiGroup === "" ? attrs.resource : `${attrs.resource}.${attrs.apiGroup}`;
    message = attrs.name === "" ? `${qualified} is forbidden: ${why}` : `${qualified} "${attrs.name}" is forbidden: ${why}`;
    details = { ...(attrs.name !== "" ? { name: attrs.name } : {}), ...(attrs.apiGroup !== "" ? { group: attrs.apiGroup } : {}), kind: attrs.resource };
  }
  if (reason !== "") message = `${message}: ${reason}`;
  return failure(403, "Forbidden", message, details);
}
