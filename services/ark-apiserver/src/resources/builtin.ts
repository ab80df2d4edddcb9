import type { PrinterColumn } from "@ark/types";
import type { ResourceType } from "../resource-type.js";
import {
  configMapSchema, coreEventSchema, eventsV1EventSchema, leaseSchema, namespaceSchema, secretSchema, serviceSchema,
} from "./builtin-schemas.js";
import { STANDARD_VERBS } from "./verbs.js";

const age: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

function builtin(
  fields: Pick<ResourceType, "group" | "kind" | "plural" | "openAPISchema" | "printerColumns"> & Partial<ResourceType>,
): ResourceType {
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

const eventColumns = (paths: { lastSeen: string; object: string; message: string }): PrinterColumn[] => [
  { name: "Last Seen", type: "date", jsonPath: paths.lastSeen },
  { name: "Type", type: "string", jsonPath: ".type" },
  { name: "Reason", type: "string", jsonPath: ".reason" },
  { name: "Object", type: "string", jsonPath: paths.object },
  { name: "Message", type: "string", jsonPath: paths.message },
  { name: "Name", type: "string", jsonPath: ".metadata.name", priority: 1 },
];

/** Core Kubernetes kinds ARK stores beside its own (API keys, config, namespaces, events, leader election). */
export const builtinResources: readonly ResourceType[] = [
  builtin({
    group: "",
    kind: "Secret",
    plural: "secrets",
    openAPISchema: secretSchema,
    printerColumns: [
      { name: "Type", type: "string", jsonPath: ".type" },
      { name: "Data", type: "integer", jsonPath: ".data.length" },
      age,
    ],
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
];
