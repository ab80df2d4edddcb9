import { EngineError, type ResourceResolver } from "@ark/engine";
import { assertReferenceGranted, type GrantLookup } from "../references/reference-grants.js";

/**
 * The resolver of one run of a query in `namespace`: agents, teams and tools come from that namespace only (the
 * schemas give them no other), and the Model of an agent or the MCPServer of a tool from another namespace only
 * when a ReferenceGrant there allows it.
 */
export function namespaceBoundResolver(resolver: ResourceResolver, namespace: string, grants: GrantLookup): ResourceResolver {
  const ownNamespace = (kind: string, other: string, name: string) => {
    if (other !== namespace) throw new EngineError("CONFIG_ERROR", `${kind} "${name}" in namespace ${other}: a query in namespace ${namespace} runs only the ${kind}s of its namespace`);
  };
  const { getMcpServer, getExecutionEngine, getA2AServer } = resolver;
  return {
    ...resolver,
    getAgent: async (ns, name) => (ownNamespace("agent", ns, name), resolver.getAgent(ns, name)),
    getTeam: async (ns, name) => (ownNamespace("team", ns, name), resolver.getTeam(ns, name)),
    getTool: async (ns, name) => (ownNamespace("tool", ns, name), resolver.getTool(ns, name)),
    async getModel(ns, name) {
      await assertReferenceGranted(grants, { from: { kind: "Agent", namespace }, to: { kind: "Model", namespace: ns, name } });
      return resolver.getModel(ns, name);
    },
    ...(getMcpServer && {
      async getMcpServer(ns: string, name: string, queryParameters?: Record<string, string>) {
        await assertReferenceGranted(grants, { from: { kind: "Tool", namespace }, to: { kind: "MCPServer", namespace: ns, name } });
        return getMcpServer(ns, name, queryParameters);
      },
    }),
    ...(getExecutionEngine && {
      async getExecutionEngine(ns: string, name: string) {
        await assertReferenceGranted(grants, { from: { kind: "Agent", namespace }, to: { kind: "ExecutionEngine", namespace: ns, name } });
        return getExecutionEngine(ns, name);
      },
    }),
    // An A2A agent's server is its own namespace's (the controller keeps the Agent next to its A2AServer).
    ...(getA2AServer && {
      getA2AServer: async (ns: string, name: string, queryParameters?: Record<string, string>) => (ownNamespace("A2AServer", ns, name), getA2AServer(ns, name, queryParameters)),
    }),
  };
}
