import { createHash } from "node:crypto";
import type { A2AServer, Agent, ArkClient, InformerCache } from "@ark/kube";
import { A2A_SERVER_ADDRESS_ANNOTATION, A2A_SERVER_NAME_ANNOTATION, A2A_SERVER_SKILLS_ANNOTATION, a2aServerKind, RESERVED_EXECUTION_ENGINE_NAME, type AgentSpec } from "@ark/types";
import { labelledChildren, syncChildren, type ChildKind } from "./discovered-children.js";

export interface A2AAgentSyncDeps {
  agents: InformerCache<Agent>;
  ark: Pick<ArkClient, "agents">;
}

/** The Agent a remote agent's card calls for (docs/upstream-compat.md §5.7). */
export interface DesiredA2AAgent {
  name: string;
  spec: Pick<AgentSpec, "description" | "prompt" | "executionEngine">;
  annotations: Record<string, string>;
}

/** A card's agent as an Agent: upstream's name (lowercase, `_` and spaces → `-`), made a valid RFC 1123 name. */
function a2aAgentResourceName(cardName: string): string {
  const name = cardName
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
  if (name.length <= 253) return name;
  const hash = createHash("sha256").update(cardName).digest("hex").slice(0, 8);
  return `${name.slice(0, 244).replace(/[-.]+$/, "")}-${hash}`;
}

export function desiredA2AAgent(server: A2AServer, card: Record<string, unknown>, endpoint: string): DesiredA2AAgent {
  const cardName = String(card.name);
  const description = typeof card.description === "string" ? card.description : "";
  const skills = Array.isArray(card.skills) ? card.skills : [];
  return {
    name: a2aAgentResourceName(cardName),
    spec: {
      ...(description ? { description } : {}),
      prompt: `You are ${cardName}. ${description}`.trim(),
      executionEngine: { name: RESERVED_EXECUTION_ENGINE_NAME },
    },
    annotations: {
      [A2A_SERVER_NAME_ANNOTATION]: server.metadata.name ?? "",
      [A2A_SERVER_ADDRESS_ANNOTATION]: endpoint,
      [A2A_SERVER_SKILLS_ANNOTATION]: JSON.stringify(skills),
    },
  };
}

function agentKind(deps: A2AAgentSyncDeps): ChildKind<AgentSpec, NonNullable<Agent["status"]>> {
  return { noun: "agent", label: A2A_SERVER_NAME_ANNOTATION, owner: a2aServerKind, cache: deps.agents, client: deps.ark.agents, mergeSpec: mergeAgentSpec };
}

/** The discovered fields over the Agent's own (a description the card dropped goes). */
function mergeAgentSpec(current: AgentSpec, desired: AgentSpec): AgentSpec {
  const spec = { ...current, ...desired };
  if (!desired.description) delete spec.description;
  return spec;
}

export function labelledAgents(agents: InformerCache<Agent>, namespace: string, server: string): Agent[] {
  return labelledChildren({ cache: agents, label: A2A_SERVER_NAME_ANNOTATION }, namespace, server);
}

/**
 * Mark & sweep in the server's namespace: the desired Agents exist as desired (created or rewritten), other Agents
 * labelled for the server are deleted. Returns the problems, with what was created; never throws.
 */
export async function syncA2AAgents(deps: A2AAgentSyncDeps, server: A2AServer, desired: readonly DesiredA2AAgent[]): Promise<{ problems: string[]; created: string[] }> {
  return syncChildren(agentKind(deps), server, desired);
}
