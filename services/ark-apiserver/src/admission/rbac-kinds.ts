import { type FieldError } from "@ark/types";
import { isPlainObject, type KubeObject } from "../kube-object.js";
import type { ResourceType } from "../resource-type.js";

const RBAC = "rbac.authorization.k8s.io";

/** The structural checks Kubernetes makes on Roles, ClusterRoles and their bindings (rules, roleRef, subjects). */
export function checkRbacObject(rt: ResourceType, obj: KubeObject): FieldError[] {
  if (rt.group !== RBAC) return [];
  if (rt.kind === "Role" || rt.kind === "ClusterRole") return checkRules(obj.rules, rt.kind === "Role");
  return [...checkRoleRef(obj.roleRef, rt.kind === "RoleBinding"), ...checkSubjects(obj.subjects, rt.kind === "ClusterRoleBinding")];
}

function checkRules(rules: unknown, namespaced: boolean): FieldError[] {
  if (rules === undefined || rules === null) return [];
  if (!Array.isArray(rules)) return [{ field: "rules", type: "Invalid value", value: rules, detail: "must be a list of PolicyRules" }];
  const errors: FieldError[] = [];
  rules.forEach((rule: unknown, i) => {
    const at = `rules[${i}]`;
    if (!isPlainObject(rule)) {
      errors.push({ field: at, type: "Invalid value", value: rule, detail: "must be a PolicyRule" });
      return;
    }
    const list = (name: string) => (Array.isArray(rule[name]) ? (rule[name] as unknown[]) : []);
    for (const name of ["verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"]) {
      const value = rule[name];
      if (value !== undefined && value !== null && (!Array.isArray(value) || value.some((v) => typeof v !== "string"))) {
        errors.push({ field: `${at}.${name}`, type: "Invalid value", value, detail: "must be a list of strings" });
      }
    }
    if (list("verbs").length === 0) errors.push({ field: `${at}.verbs`, type: "Required value", detail: "verbs must contain at least one value" });
    const urls = list("nonResourceURLs");
    if (urls.length > 0) {
      if (namespaced) errors.push({ field: `${at}.nonResourceURLs`, type: "Invalid value", value: urls, detail: "namespaced rules cannot apply to non-resource URLs" });
      if (list("apiGroups").length > 0 || list("resources").length > 0) {
        errors.push({ field: `${at}.nonResourceURLs`, type: "Invalid value", value: urls, detail: "rules cannot apply to both regular resources and non-resource URLs" });
      }
      return;
    }
    if (list("apiGroups").length === 0) errors.push({ field: `${at}.apiGroups`, type: "Required value", detail: "resource rules must supply at least one api group" });
    if (list("resources").length === 0) errors.push({ field: `${at}.resources`, type: "Required value", detail: "resource rules must supply at least one resource" });
  });
  return errors;
}

function checkRoleRef(roleRef: unknown, inRoleBinding: boolean): FieldError[] {
  if (!isPlainObject(roleRef)) return [{ field: "roleRef", type: "Required value", detail: "roleRef is required" }];
  const errors: FieldError[] = [];
  const kinds = inRoleBinding ? ["Role", "ClusterRole"] : ["ClusterRole"];
  if (typeof roleRef.kind !== "string" || !kinds.includes(roleRef.kind)) {
    errors.push({ field: "roleRef.kind", type: "Unsupported value", value: roleRef.kind, detail: `supported values: ${kinds.map((k) => `"${k}"`).join(", ")}` });
  }
  if (roleRef.apiGroup !== RBAC) errors.push({ field: "roleRef.apiGroup", type: "Unsupported value", value: roleRef.apiGroup, detail: `supported values: "${RBAC}"` });
  if (typeof roleRef.name !== "string" || roleRef.name === "") errors.push({ field: "roleRef.name", type: "Required value", detail: "name is required" });
  return errors;
}

function checkSubjects(subjects: unknown, clusterWide: boolean): FieldError[] {
  if (subjects === undefined || subjects === null) return [];
  if (!Array.isArray(subjects)) return [{ field: "subjects", type: "Invalid value", value: subjects, detail: "must be a list of subjects" }];
  const errors: FieldError[] = [];
  subjects.forEach((subject: unknown, i) => {
    const at = `subjects[${i}]`;
    if (!isPlainObject(subject)) {
      errors.push({ field: at, type: "Invalid value", value: subject, detail: "must be a subject" });
      return;
    }
    if (typeof subject.name !== "string" || subject.name === "") errors.push({ field: `${at}.name`, type: "Required value", detail: "name is required" });
    switch (subject.kind) {
      case "ServiceAccount":
        if (subject.apiGroup !== undefined && subject.apiGroup !== "") {
          errors.push({ field: `${at}.apiGroup`, type: "Unsupported value", value: subject.apiGroup, detail: 'supported values: ""' });
        }
        if (clusterWide && (typeof subject.namespace !== "string" || subject.namespace === "")) {
          errors.push({ field: `${at}.namespace`, type: "Required value", detail: "namespace is required for a ServiceAccount subject" });
        }
        break;
      case "User":
      case "Group":
        if (subject.apiGroup !== RBAC) errors.push({ field: `${at}.apiGroup`, type: "Unsupported value", value: subject.apiGroup, detail: `supported values: "${RBAC}"` });
        break;
      default:
        errors.push({ field: `${at}.kind`, type: "Unsupported value", value: subject.kind, detail: 'supported values: "ServiceAccount", "User", "Group"' });
    }
  });
  return errors;
}
