import { bool, bytes, dateTime, int, intOrString, list, object, objectReference, openObject, str, stringMap, topLevel, type Schema } from "./schema-builders.js";

const condition = (): Schema => object({ type: str(), status: str(), reason: str(), message: str(), lastTransitionTime: dateTime() });

export const secretSchema = topLevel("Secret holds secret data of a certain type.", {
  data: stringMap("Secret data; values are base64 in JSON.", bytes()),
  stringData: stringMap("Write-only convenience: merged into data on write."),
  type: str("Used to facilitate programmatic handling of secret data, e.g. Opaque."),
  immutable: bool(),
});

export const configMapSchema = topLevel("ConfigMap holds configuration data for workloads to consume.", {
  data: stringMap(),
  binaryData: stringMap(undefined, bytes()),
  immutable: bool(),
});

export const namespaceSchema = topLevel("Namespace provides a scope for names.", {
  spec: object({ finalizers: list(str()) }),
  status: object({ phase: str("Active or Terminating."), conditions: list(condition()) }),
});

const servicePort = object(
  {
    name: str(),
    protocol: str("TCP, UDP or SCTP."),
    appProtocol: str(),
    port: int("The port exposed by this service."),
    targetPort: intOrString(),
    nodePort: int(),
  },
  { required: ["port"] },
);

export const serviceSchema = topLevel("Service names a network endpoint; ARK uses it to resolve serviceRef to a URL.", {
  spec: object({
    type: str("ClusterIP, NodePort, LoadBalancer or ExternalName."),
    ports: list(servicePort),
    selector: stringMap(),
    clusterIP: str(),
    clusterIPs: list(str()),
    externalName: str(),
    externalIPs: list(str()),
    externalTrafficPolicy: str(),
    internalTrafficPolicy: str(),
    ipFamilies: list(str()),
    ipFamilyPolicy: str(),
    loadBalancerIP: str(),
    loadBalancerClass: str(),
    loadBalancerSourceRanges: list(str()),
    publishNotReadyAddresses: bool(),
    sessionAffinity: str(),
    sessionAffinityConfig: openObject(),
    allocateLoadBalancerNodePorts: bool(),
    healthCheckNodePort: int(),
    trafficDistribution: str(),
  }),
  status: object({ loadBalancer: openObject(), conditions: list(condition()) }),
});

export const leaseSchema = topLevel("Lease defines a lease concept, used for leader election.", {
  spec: object({
    holderIdentity: str(),
    leaseDurationSeconds: int(),
    acquireTime: dateTime(),
    renewTime: dateTime(),
    leaseTransitions: int(),
    strategy: str(),
    preferredHolder: str(),
  }),
});

const eventSeries = object({ count: int(), lastObservedTime: dateTime() });

export const coreEventSchema = topLevel("Event is a report of an event somewhere in the cluster.", {
  involvedObject: objectReference(),
  reason: str(),
  message: str(),
  source: object({ component: str(), host: str() }),
  firstTimestamp: dateTime(),
  lastTimestamp: dateTime(),
  count: int(),
  type: str("Normal or Warning."),
  eventTime: dateTime(),
  series: eventSeries,
  action: str(),
  related: objectReference(),
  reportingComponent: str(),
  reportingInstance: str(),
});

export const eventsV1EventSchema = topLevel("Event is a report of an event somewhere in the cluster.", {
  eventTime: dateTime(),
  series: eventSeries,
  reportingController: str(),
  reportingInstance: str(),
  action: str(),
  reason: str(),
  regarding: objectReference(),
  related: objectReference(),
  note: str(),
  type: str("Normal or Warning."),
  deprecatedSource: object({ component: str(), host: str() }),
  deprecatedFirstTimestamp: dateTime(),
  deprecatedLastTimestamp: dateTime(),
  deprecatedCount: int(),
});
