import protobuf from "protobufjs";

// Field numbers from k8s.io/api/core/v1, k8s.io/apimachinery/pkg/apis/meta/v1 and pkg/runtime generated.proto
// (checked against bytes kubectl 1.32 sends), k8s.io/api rbac/v1, authorization/v1 and authentication/v1.
// Only the messages kubectl's imperative `create` and `auth` commands POST.
const str = (id: number) => ({ type: "string", id });
const stringMap = (id: number, type = "string") => ({ keyType: "string", type, id });
const strings = (id: number) => ({ rule: "repeated", type: "string", id });
const meta = { type: "ObjectMeta", id: 1 };

export const k8sProtobuf = protobuf.Root.fromJSON({
  nested: {
    TypeMeta: { fields: { apiVersion: str(1), kind: str(2) } },
    Unknown: {
      fields: { typeMeta: { type: "TypeMeta", id: 1 }, raw: { type: "bytes", id: 2 }, contentEncoding: str(3), contentType: str(4) },
    },
    Time: { fields: { seconds: { type: "int64", id: 1 }, nanos: { type: "int32", id: 2 } } },
    OwnerReference: {
      fields: {
        kind: str(1),
        name: str(3),
        uid: str(4),
        apiVersion: str(5),
        controller: { type: "bool", id: 6 },
        blockOwnerDeletion: { type: "bool", id: 7 },
      },
    },
    ObjectMeta: {
      fields: {
        name: str(1),
        generateName: str(2),
        namespace: str(3),
        selfLink: str(4),
        uid: str(5),
        resourceVersion: str(6),
        generation: { type: "int64", id: 7 },
        creationTimestamp: { type: "Time", id: 8 },
        deletionTimestamp: { type: "Time", id: 9 },
        deletionGracePeriodSeconds: { type: "int64", id: 10 },
        labels: stringMap(11),
        annotations: stringMap(12),
        ownerReferences: { rule: "repeated", type: "OwnerReference", id: 13 },
        finalizers: { rule: "repeated", type: "string", id: 14 },
      },
    },
    Secret: {
      fields: {
        metadata: { type: "ObjectMeta", id: 1 },
        data: stringMap(2, "bytes"),
        type: str(3),
        stringData: stringMap(4),
        immutable: { type: "bool", id: 5 },
      },
    },
    ConfigMap: {
      fields: {
        metadata: { type: "ObjectMeta", id: 1 },
        data: stringMap(2),
        binaryData: stringMap(3, "bytes"),
        immutable: { type: "bool", id: 4 },
      },
    },
    NamespaceSpec: { fields: { finalizers: { rule: "repeated", type: "string", id: 1 } } },
    NamespaceCondition: {
      fields: { type: str(1), status: str(2), lastTransitionTime: { type: "Time", id: 4 }, reason: str(5), message: str(6) },
    },
    NamespaceStatus: { fields: { phase: str(1), conditions: { rule: "repeated", type: "NamespaceCondition", id: 2 } } },
    Namespace: {
      fields: {
        metadata: { type: "ObjectMeta", id: 1 },
        spec: { type: "NamespaceSpec", id: 2 },
        status: { type: "NamespaceStatus", id: 3 },
      },
    },
    ObjectReference: {
      fields: { kind: str(1), namespace: str(2), name: str(3), uid: str(4), apiVersion: str(5), resourceVersion: str(6), fieldPath: str(7) },
    },
    LocalObjectReference: { fields: { name: str(1) } },
    ServiceAccount: {
      fields: {
        metadata: meta,
        secrets: { rule: "repeated", type: "ObjectReference", id: 2 },
        automountServiceAccountToken: { type: "bool", id: 3 },
        imagePullSecrets: { rule: "repeated", type: "LocalObjectReference", id: 4 },
      },
    },
    PolicyRule: { fields: { verbs: strings(1), apiGroups: strings(2), resources: strings(3), resourceNames: strings(4), nonResourceURLs: strings(5) } },
    LabelSelectorRequirement: { fields: { key: str(1), operator: str(2), values: strings(3) } },
    LabelSelector: { fields: { matchLabels: stringMap(1), matchExpressions: { rule: "repeated", type: "LabelSelectorRequirement", id: 2 } } },
    AggregationRule: { fields: { clusterRoleSelectors: { rule: "repeated", type: "LabelSelector", id: 1 } } },
    Role: { fields: { metadata: meta, rules: { rule: "repeated", type: "PolicyRule", id: 2 } } },
    ClusterRole: {
      fields: { metadata: meta, rules: { rule: "repeated", type: "PolicyRule", id: 2 }, aggregationRule: { type: "AggregationRule", id: 3 } },
    },
    Subject: { fields: { kind: str(1), apiGroup: str(2), name: str(3), namespace: str(4) } },
    RoleRef: { fields: { apiGroup: str(1), kind: str(2), name: str(3) } },
    RoleBinding: { fields: { metadata: meta, subjects: { rule: "repeated", type: "Subject", id: 2 }, roleRef: { type: "RoleRef", id: 3 } } },
    ClusterRoleBinding: { fields: { metadata: meta, subjects: { rule: "repeated", type: "Subject", id: 2 }, roleRef: { type: "RoleRef", id: 3 } } },
    BoundObjectReference: { fields: { kind: str(1), apiVersion: str(2), name: str(3), uid: str(4) } },
    TokenRequestSpec: {
      fields: { audiences: strings(1), boundObjectRef: { type: "BoundObjectReference", id: 3 }, expirationSeconds: { type: "int64", id: 4 } },
    },
    TokenRequest: { fields: { metadata: meta, spec: { type: "TokenRequestSpec", id: 2 } } },
    ResourceAttributes: {
      fields: { namespace: str(1), verb: str(2), group: str(3), version: str(4), resource: str(5), subresource: str(6), name: str(7) },
    },
    NonResourceAttributes: { fields: { path: str(1), verb: str(2) } },
    ExtraValue: { fields: { items: strings(1) } },
    SelfSubjectAccessReviewSpec: {
      fields: { resourceAttributes: { type: "ResourceAttributes", id: 1 }, nonResourceAttributes: { type: "NonResourceAttributes", id: 2 } },
    },
    SubjectAccessReviewSpec: {
      fields: {
        resourceAttributes: { type: "ResourceAttributes", id: 1 },
        nonResourceAttributes: { type: "NonResourceAttributes", id: 2 },
        user: str(3),
        groups: strings(4),
        extra: stringMap(5, "ExtraValue"),
        uid: str(6),
      },
    },
    SelfSubjectAccessReview: { fields: { metadata: meta, spec: { type: "SelfSubjectAccessReviewSpec", id: 2 } } },
    SubjectAccessReview: { fields: { metadata: meta, spec: { type: "SubjectAccessReviewSpec", id: 2 } } },
    LocalSubjectAccessReview: { fields: { metadata: meta, spec: { type: "SubjectAccessReviewSpec", id: 2 } } },
    SelfSubjectRulesReviewSpec: { fields: { namespace: str(1) } },
    SelfSubjectRulesReview: { fields: { metadata: meta, spec: { type: "SelfSubjectRulesReviewSpec", id: 2 } } },
    TokenReviewSpec: { fields: { token: str(1), audiences: strings(2) } },
    TokenReview: { fields: { metadata: meta, spec: { type: "TokenReviewSpec", id: 2 } } },
    SelfSubjectReview: { fields: { metadata: meta } },
  },
});

const kindsByApiVersion: Record<string, string[]> = {
  v1: ["Secret", "ConfigMap", "Namespace", "ServiceAccount"],
  "rbac.authorization.k8s.io/v1": ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"],
  "authentication.k8s.io/v1": ["TokenRequest", "TokenReview", "SelfSubjectReview"],
  "authorization.k8s.io/v1": ["SelfSubjectAccessReview", "SubjectAccessReview", "LocalSubjectAccessReview", "SelfSubjectRulesReview"],
};

/** The kinds whose protobuf encoding ark-apiserver understands, by `apiVersion/kind`. */
export const supportedKinds: ReadonlyMap<string, protobuf.Type> = new Map(
  Object.entries(kindsByApiVersion).flatMap(([apiVersion, kinds]) => kinds.map((kind) => [`${apiVersion}/${kind}`, k8sProtobuf.lookupType(kind)] as const)),
);
