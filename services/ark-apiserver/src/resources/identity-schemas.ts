import { bool, list, object, objectReference, str, stringMap, topLevel, type Schema } from "./schema-builders.js";

// ServiceAccount, RBAC and the authorization/authentication review kinds, as k8s.io/api declares them.
const strings = (description?: string): Schema => list(str(), description);

const policyRuleSchema = object(
  {
    verbs: strings("Verbs: get, list, watch, create, update, patch, delete, deletecollection, impersonate, bind, escalate; '*' for all."),
    apiGroups: strings('API groups of the resources; "" is the core group, "*" all groups.'),
    resources: strings('Resources (plural), "resource/subresource", "*/subresource" or "*".'),
    resourceNames: strings("Only these object names (empty: any)."),
    nonResourceURLs: strings('URL paths such as /version, or a prefix ending in "*"; ClusterRoles only.'),
  },
  { required: ["verbs"] },
);

const subject = object(
  {
    kind: str("User, Group or ServiceAccount."),
    apiGroup: str('"rbac.authorization.k8s.io" for User and Group, "" for ServiceAccount.'),
    name: str(),
    namespace: str("The ServiceAccount's namespace."),
  },
  { required: ["kind", "name"] },
);

const roleRef = object({ apiGroup: str(), kind: str("Role or ClusterRole."), name: str() }, { required: ["apiGroup", "kind", "name"] });

const labelSelector = object({
  matchLabels: stringMap(),
  matchExpressions: list(object({ key: str(), operator: str(), values: strings() })),
});

export const serviceAccountSchema = topLevel("ServiceAccount is an identity that programs authenticate as (TokenRequest gives it tokens).", {
  secrets: list(objectReference()),
  imagePullSecrets: list(object({ name: str() })),
  automountServiceAccountToken: bool(),
});

export const roleSchema = topLevel("Role is a namespaced set of PolicyRules, granted by a RoleBinding.", {
  rules: list(policyRuleSchema),
});

export const clusterRoleSchema = topLevel("ClusterRole is a cluster-wide set of PolicyRules, granted by a RoleBinding or ClusterRoleBinding.", {
  rules: list(policyRuleSchema),
  aggregationRule: object({ clusterRoleSelectors: list(labelSelector) }),
});

export const roleBindingSchema = topLevel("RoleBinding grants a Role or ClusterRole to subjects within its namespace.", {
  subjects: list(subject),
  roleRef,
});

export const clusterRoleBindingSchema = topLevel("ClusterRoleBinding grants a ClusterRole to subjects in every namespace.", {
  subjects: list(subject),
  roleRef,
});

const resourceAttributes = object({
  namespace: str(),
  verb: str(),
  group: str(),
  version: str(),
  resource: str(),
  subresource: str(),
  name: str(),
});
const nonResourceAttributes = object({ path: str(), verb: str() });
const accessReviewStatus = object({ allowed: bool(), denied: bool(), reason: str(), evaluationError: str() });
const extra = stringMap(undefined, list(str()));

export const selfSubjectAccessReviewSchema = topLevel("SelfSubjectAccessReview checks whether the caller can perform an action.", {
  spec: object({ resourceAttributes, nonResourceAttributes }),
  status: accessReviewStatus,
});

export const subjectAccessReviewSchema = topLevel("SubjectAccessReview checks whether a user or group can perform an action.", {
  spec: object({ resourceAttributes, nonResourceAttributes, user: str(), groups: strings(), uid: str(), extra }),
  status: accessReviewStatus,
});

export const selfSubjectRulesReviewSchema = topLevel("SelfSubjectRulesReview lists what the caller can do in a namespace.", {
  spec: object({ namespace: str() }),
  status: object({
    resourceRules: list(object({ verbs: strings(), apiGroups: strings(), resources: strings(), resourceNames: strings() })),
    nonResourceRules: list(object({ verbs: strings(), nonResourceURLs: strings() })),
    incomplete: bool(),
    evaluationError: str(),
  }),
});

const userInfo = object({ username: str(), uid: str(), groups: strings(), extra });

export const tokenReviewSchema = topLevel("TokenReview authenticates a token and answers who it belongs to.", {
  spec: object({ token: str(), audiences: strings() }),
  status: object({ authenticated: bool(), user: userInfo, audiences: strings(), error: str() }),
});

export const selfSubjectReviewSchema = topLevel("SelfSubjectReview answers who the caller is (kubectl auth whoami).", {
  status: object({ userInfo }),
});
