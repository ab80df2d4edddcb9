import type { ResourceType } from "../resource-type.js";

export function fakeResource(fields: Partial<ResourceType> & Pick<ResourceType, "group" | "version" | "kind" | "plural">): ResourceType {
  return {
    listKind: `${fields.kind}List`,
    singular: fields.kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    statusSubresource: false,
    printerColumns: [],
    openAPISchema: {
      type: "object",
      properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, spec: { type: "object" } },
    },
    ...fields,
  };
}

export const agents = fakeResource({
  group: "ark.mckinsey.com",
  version: "v1alpha1",
  kind: "Agent",
  plural: "agents",
  shortNames: ["ag"],
  statusSubresource: true,
});
const engines = fakeResource({ group: "ark.mckinsey.com", version: "v1prealpha1", kind: "ExecutionEngine", plural: "executionengines" });
const secrets = fakeResource({ group: "", version: "v1", kind: "Secret", plural: "secrets" });
export const namespaces = fakeResource({ group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false, shortNames: ["ns"] });
const leases = fakeResource({ group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases" });

export const fixtureResources: ResourceType[] = [agents, engines, secrets, namespaces, leases];
