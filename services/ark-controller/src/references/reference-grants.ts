import { EngineError } from "@ark/engine";
import type { Tool } from "@ark/kube";
import { referenceGrantAllows, referenceNotGrantedMessage, type CrossNamespaceReference } from "@ark/types";
import type { ResourceLookup } from "./lookup.js";

export type GrantLookup = Pick<ResourceLookup, "referenceGrants">;

/**
 * Why `ref` may not be followed (it leaves its namespace and no ReferenceGrant there allows it), else undefined.
 * Checked before the resource is looked up, so a refused reference tells nothing of what the other namespace holds.
 */
export async function referenceGrantProblem(grants: GrantLookup, ref: CrossNamespaceReference): Promise<string | undefined> {
  if (ref.from.namespace === ref.to.namespace) return undefined;
  return referenceGrantAllows(await grants.referenceGrants(ref.to.namespace), ref) ? undefined : referenceNotGrantedMessage(ref);
}

/** referenceGrantProblem for a run: the refusal is the run's CONFIG_ERROR, prefixed with `where`. */
export async function assertReferenceGranted(grants: GrantLookup, ref: CrossNamespaceReference, where?: string): Promise<void> {
  const problem = await referenceGrantProblem(grants, ref);
  if (problem) throw new EngineError("CONFIG_ERROR", where ? `${where}: ${problem}` : problem);
}

/** A Tool of type mcp whose MCPServer lies in a namespace that does not grant it: why, else undefined. */
export async function toolServerProblem(tool: Tool, grants: GrantLookup): Promise<string | undefined> {
  const server = tool.spec.mcp?.mcpServerRef;
  const namespace = tool.metadata.namespace ?? "";
  if (!server?.namespace) return undefined;
  const refused = await referenceGrantProblem(grants, { from: { kind: "Tool", namespace }, to: { kind: "MCPServer", namespace: server.namespace, name: server.name } });
  return refused && `tool ${namespace}/${tool.metadata.name ?? ""}: spec.mcp.mcpServerRef: ${refused}`;
}
