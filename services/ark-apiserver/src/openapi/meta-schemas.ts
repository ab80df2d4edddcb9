import { META, ref } from "./names.js";

type Schema = Record<string, unknown>;
const str = (description?: string): Schema => (description === undefined ? { type: "string" } : { description, type: "string" });
const time: Schema = { type: "string", format: "date-time" };
const stringMap: Schema = { type: "object", additionalProperties: { type: "string", default: "" } };

/** The apimachinery meta/v1 schemas an ARK group document references (ObjectMeta, ListMeta, Status, …). */
export const metaSchemas: Record<string, Schema> = {
  [`${META}.ObjectMeta`]: {
    description: "Standard object's metadata.",
    type: "object",
    properties: {
      name: str("Unique within a namespace; required when creating unless generateName is set."),
      generateName: str("Prefix the server uses to generate a unique name when name is empty."),
      namespace: str("The namespace the object lives in; empty for cluster-scoped objects."),
      selfLink: str(),
      uid: str("Unique in time and space; set by the server."),
      resourceVersion: str("Opaque version for optimistic concurrency and watches."),
      generation: { description: "Sequence number of spec changes.", type: "integer", format: "int64" },
      creationTimestamp: { description: "When the object was created.", ...time },
      deletionTimestamp: { description: "When graceful deletion started.", ...time },
      deletionGracePeriodSeconds: { type: "integer", format: "int64" },
      labels: { description: "Map of string keys and values used to organize and select objects.", ...stringMap },
      annotations: { description: "Unstructured key value map for tools.", ...stringMap },
      ownerReferences: {
        description: "Objects this object depends on; it is garbage collected when all are gone.",
        type: "array",
        items: { default: {}, allOf: [ref(`${META}.OwnerReference`)] },
        "x-kubernetes-list-map-keys": ["uid"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "uid",
        "x-kubernetes-patch-strategy": "merge",
      },
      finalizers: {
        description: "Must be empty before the object is deleted from the registry.",
        type: "array",
        items: { type: "string", default: "" },
        "x-kubernetes-list-type": "set",
        "x-kubernetes-patch-strategy": "merge",
      },
      managedFields: {
        description: "Which field manager owns which fields (server-side apply).",
        type: "array",
        items: { default: {}, allOf: [ref(`${META}.ManagedFieldsEntry`)] },
        "x-kubernetes-list-type": "atomic",
      },
    },
  },
  [`${META}.OwnerReference`]: {
    description: "Identifies an owning object.",
    type: "object",
    required: ["apiVersion", "kind", "name", "uid"],
    properties: {
      apiVersion: str(),
      kind: str(),
      name: str(),
      uid: str(),
      controller: { type: "boolean" },
      blockOwnerDeletion: { type: "boolean" },
    },
    "x-kubernetes-map-type": "atomic",
  },
  [`${META}.ManagedFieldsEntry`]: {
    type: "object",
    properties: {
      apiVersion: str(),
      fieldsType: str(),
      fieldsV1: { type: "object" },
      manager: str(),
      operation: str(),
      subresource: str(),
      time,
    },
  },
  [`${META}.ListMeta`]: {
    type: "object",
    properties: { continue: str(), remainingItemCount: { type: "integer", format: "int64" }, resourceVersion: str(), selfLink: str() },
  },
  [`${META}.Status`]: {
    type: "object",
    properties: {
      apiVersion: str(),
      kind: str(),
      code: { type: "integer", format: "int32" },
      details: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      message: str(),
      metadata: { default: {}, allOf: [ref(`${META}.ListMeta`)] },
      reason: str(),
      status: str(),
    },
    "x-kubernetes-group-version-kind": [{ group: "", version: "v1", kind: "Status" }],
  },
  [`${META}.DeleteOptions`]: {
    type: "object",
    properties: {
      apiVersion: str(),
      kind: str(),
      dryRun: { type: "array", items: { type: "string", default: "" } },
      gracePeriodSeconds: { type: "integer", format: "int64" },
      propagationPolicy: str(),
      preconditions: { type: "object", properties: { resourceVersion: str(), uid: str() } },
    },
  },
  [`${META}.Patch`]: { description: "The PATCH request body.", type: "object" },
};
