import type { PrinterColumn } from "@ark/types";
import type { ResourceType } from "../resource-type.js";
import { configMapSchema, coreEventSchema, eventsV1EventSchema, leaseSchema, namespaceSchema, secretSchema, serviceSchema } from "./builtin-schemas.js";
import {
  clusterRoleBindingSchema,
  clusterRoleSchema,
  roleBindingSchema,
  roleSchema,
  selfSubjectAccessReviewSchema,
  selfSubjectReviewSchema,
  selfSubjectRulesReviewSchema,
  serviceAccountSchema,
  subjectAccessReviewSchema,
  tokenReviewSchema,
} from "./identity-schemas.js";
import { STANDARD_VERBS } from "./verbs.js";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

const age: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

function builtin(fields: Pick<ResourceType, "group" | "kind" | "plural" | "openAPISchema" | "printerColumns"> & Partial<ResourceType>): ResourceType {
  return {
    version: "v1",
    listKind: `${fields.kind}List`,
    singular: fields.kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    verbs: STANDARD_VERBS,
    statusSubresource: false,
    ...fields,
  };
}

const createdAt: PrinterColumn = { name: "Created At", type: "string", jsonPath: ".metadata.creationTimestamp" };
const bindingColumns: PrinterColumn[] = [
  { name: "Role", type: "string", jsonPath: "{.roleRef.kind}/{.roleRef.name}" },
  age,
  { name: "Users", type: "string", jsonPath: ".subjects[?(@.kind=='User')].name", priority: 1 },
  { name: "Groups", type: "string", jsonPath: ".subjects[?(@.kind=='Group')].name", priority: 1 },
  { name: "ServiceAccounts", type: "string", jsonPath: ".subjects[?(@.kind=='ServiceAccount')].name", priority: 1 },
];

/** A kind that is only ever POSTed and answered (never stored): access reviews, token reviews. */
function review(group: string, kind: string, namespaced: boolean, openAPISchema: ResourceType["openAPISchema"]): ResourceType {
  return builtin({ group, kind, plural: `${kind.toLowerCase()}s`, namespaced, verbs: ["create"], createOnly: true, openAPISchema, printerColumns: [] });
}

const eventColumns = (paths: { lastSeen: string; object: string; message: string }): PrinterColumn[] => [
  { name: "Last Seen", type: "date", jsonPath: paths.lastSeen },
  { name: "Type", type: "string", jsonPath: ".type" },
  { name: "Reason", type: "string", jsonPath: ".reason" },
  { name: "Object", type: "string", jsonPath: paths.object },
  { name: "Message", type: "string", jsonPath: paths.message },
  { name: "Name", type: "string", jsonPath: ".metadata.name", priority: 1 },
];

/**
 * Core Kubernetes kinds ARK stores beside its own (API keys, config, namespaces, events, leader election), the
 * identities and RBAC kinds every request is authorized by, and the review kinds `kubectl auth` posts.
 */
export const builtinResources: readonly ResourceType[] = [
  builtin({
    group: "",
    kind: "Secret",
    plural: "secrets",
    openAPISchema: secretSchema,
    printerColumns: [{ name: "Type", type: "string", jsonPath: ".type" }, { name: "Data", type: "integer", jsonPath: ".data.length" }, age],
  }),
  builtin({
    group: "",
    kind: "ConfigMap",
    plural: "configmaps",
    shortNames: ["cm"],
    openAPISchema: configMapSchema,
    printerColumns: [{ name: "Data", type: "integer", jsonPath: ".data.length" }, age],
  }),
  builtin({
    group: "",
    kind: "Namespace",
    plural: "namespaces",
    namespaced: false,
    shortNames: ["ns"],
    statusSubresource: true,
    openAPISchema: namespaceSchema,
    printerColumns: [{ name: "Status", type: "string", jsonPath: ".status.phase" }, age],
  }),
  builtin({
    group: "",
    kind: "Event",
    plural: "events",
    shortNames: ["ev"],
    openAPISchema: coreEventSchema,
    printerColumns: eventColumns({
      lastSeen: ".lastTimestamp",
      object: "{.involvedObject.kind}/{.involvedObject.name}",
      message: ".message",
    }),
  }),
  builtin({
    group: "",
    kind: "Service",
    plural: "services",
    shortNames: ["svc"],
    // As in Kubernetes: `kubectl get all` lists Services.
    categories: ["all"],
    statusSubresource: true,
    openAPISchema: serviceSchema,
    printerColumns: [
      { name: "Type", type: "string", jsonPath: ".spec.type" },
      { name: "Cluster-IP", type: "string", jsonPath: ".spec.clusterIP" },
      { name: "Ports", type: "string", jsonPath: ".spec.ports[*].port" },
      age,
    ],
  }),
  builtin({
    group: "events.k8s.io",
    kind: "Event",
    plural: "events",
    shortNames: ["ev"],
    openAPISchema: eventsV1EventSchema,
    printerColumns: eventColumns({
      lastSeen: ".deprecatedLastTimestamp",
      object: "{.regarding.kind}/{.regarding.name}",
      message: ".note",
    }),
  }),
  builtin({
    group: "coordination.k8s.io",
    kind: "Lease",
    plural: "leases",
    openAPISchema: leaseSchema,
    printerColumns: [{ name: "Holder", type: "string", jsonPath: ".spec.holderIdentity" }, age],
  }),
  builtin({
    group: "",
    kind: "ServiceAccount",
    plural: "serviceaccounts",
    shortNames: ["sa"],
    openAPISchema: serviceAccountSchema,
    printerColumns: [{ name: "Secrets", type: "integer", jsonPath: ".secrets.length" }, age],
    extraSubresources: [{ name: "token", responseKind: { group: "authentication.k8s.io", version: "v1", kind: "TokenRequest" }, verbs: ["create"] }],
  }),
  builtin({
    group: RBAC_GROUP,
    kind: "Role",
    plural: "roles",
    openAPISchema: roleSchema,
    printerColumns: [createdAt],
  }),
  builtin({
    group: RBAC_GROUP,
    kind: "ClusterRole",
    plural: "clusterroles",
    namespaced: false,
    openAPISchema: clusterRoleSchema,
    printerColumns: [createdAt],
  }),
  builtin({
    group: RBAC_GROUP,
    kind: "RoleBinding",
    plural: "rolebindings",
    openAPISchema: roleBindingSchema,
    printerColumns: bindingColumns,
  }),
  builtin({
    group: RBAC_GROUP,
    kind: "ClusterRoleBinding",
    plural: "clusterrolebindings",
    namespaced: false,
    openAPISchema: clusterRoleBindingSchema,
    printerColumns: bindingColumns,
  }),
  review("authorization.k8s.io", "SelfSubjectAccessReview", false, selfSubjectAccessReviewSchema),
  review("authorization.k8s.io", "SubjectAccessReview", false, subjectAccessReviewSchema),
  review("authorization.k8s.io", "LocalSubjectAccessReview", true, subjectAccessReviewSchema),
  review("authorization.k8s.io", "SelfSubjectRulesReview", false, selfSubjectRulesReviewSchema),
  review("authentication.k8s.io", "TokenReview", false, tokenReviewSchema),
  review("authentication.k8s.io", "SelfSubjectReview", false, selfSubjectReviewSchema),
];
