import protobuf from "protobufjs";

// Field numbers from k8s.io/api/core/v1, k8s.io/apimachinery/pkg/apis/meta/v1 and pkg/runtime generated.proto
// (checked against bytes kubectl 1.32 sends). Only the messages kubectl's imperative `create` commands POST.
const str = (id: number) => ({ type: "string", id });
const stringMap = (id: number, type = "string") => ({ keyType: "string", type, id });

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
  },
});

/** The kinds whose protobuf encoding ark-apiserver understands, by `apiVersion/kind`. */
export const supportedKinds: ReadonlyMap<string, protobuf.Type> = new Map(
  ["Secret", "ConfigMap", "Namespace"].map((kind) => [`v1/${kind}`, k8sProtobuf.lookupType(kind)]),
);
