import type { ArkClient } from "@ark/kube";
import type { QueryTarget } from "@ark/types";
import { McpToolError } from "../mcp/tool-error.js";

export const TARGET_TYPES = ["agent", "team", "model"] as const;
type TargetType = (typeof TARGET_TYPES)[number];

/** `agent/weather` → { type: agent, name: weather }; a bare name is an agent. */
export function parseTarget(target: string): QueryTarget {
  const slash = target.indexOf("/");
  const [type, name] = slash < 0 ? ["agent", target] : [target.slice(0, slash), target.slice(slash + 1)];
  if (!(TARGET_TYPES as readonly string[]).includes(type)) {
    throw new McpToolError(`target "${target}": the type must be one of ${TARGET_TYPES.join(", ")} (e.g. agent/${name || "my-agent"})`);
  }
  if (!name.trim()) throw new McpToolError(`target "${target}": a name is needed after "${type}/"`);
  return { type: type as TargetType, name: name.trim() };
}

/** Fails fast for a missing target: the controller would only report it in the Query's status after a wait. */
export async function assertTargetExists(ark: ArkClient, namespace: string, target: QueryTarget): Promise<void> {
  const clients = { agent: ark.agents, team: ark.teams, model: ark.models } as const;
  const client = clients[target.type as TargetType];
  if (!client) throw new McpToolError(`target type ${target.type} is not supported here`);
  if (!(await client.get(namespace, target.name))) {
    throw new McpToolError(`${target.type} "${target.name}" not found in namespace ${namespace}`);
  }
}
