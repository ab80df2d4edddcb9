import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { apiErrorMessage, isConflict, type A2AServer, type Agent, type ArkClient, type InformerCache } from "@ark/kube";
import {
  A2A_SERVER_ADDRESS_ANNOTATION,
  A2A_SERVER_NAME_ANNOTATION,
  A2A_SERVER_SKILLS_ANNOTATION,
  a2aServerKind,
  RESERVED_EXECUTION_ENGINE_NAME,
  type AgentSpec,
} from "@ark/types";
import type { V1OwnerReference } from "@kubernetes/client-node";

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

export function labelledAgents(agents: InformerCache<Agent>, namespace: string, server: string): Agent[] {
  return agents.list(namespace).filter((agent) => agent.metadata.labels?.[A2A_SERVER_NAME_ANNOTATION] === server);
}

/**
 * Mark & sweep in the server's namespace: the desired Agents exist as desired (created or rewritten), other Agents
 * labelled for the server are deleted. Returns the problems, with what was created; never throws.
 */
export async function syncA2AAgents(deps: A2AAgentSyncDeps, server: A2AServer, desired: readonly DesiredA2AAgent[]): Promise<{ problems: string[]; created: string[] }> {
  const namespace = server.metadata.namespace ?? "";
  const wanted = new Set(desired.map((agent) => agent.name));
  const problems: string[] = [];
  const created: string[] = [];
  for (const agent of desired) {
    try {
      if (await applyAgent(deps, server, agent)) created.push(agent.name);
    } catch (error) {
      problems.push(`agent ${agent.name}: ${apiErrorMessage(error)}`);
    }
  }
  for (const existing of labelledAgents(deps.agents, namespace, server.metadata.name ?? "")) {
    const name = existing.metadata.name ?? "";
    if (wanted.has(name)) continue;
    try {
      await deps.ark.agents.delete(namespace, name);
    } catch (error) {
      problems.push(`delete agent ${name}: ${apiErrorMessage(error)}`);
    }
  }
  return { problems, created };
}

/** Creates or rewrites one Agent; true when it was created. */
async function applyAgent(deps: A2AAgentSyncDeps, server: A2AServer, agent: DesiredA2AAgent): Promise<boolean> {
  const namespace = server.metadata.namespace ?? "";
  const owner = ownerReference(server);
  const labels = { [A2A_SERVER_NAME_ANNOTATION]: owner.name };
  const cached = deps.agents.get(namespace, agent.name);
  if (!cached) {
    try {
      await deps.ark.agents.create({ metadata: { name: agent.name, namespace, labels, annotations: agent.annotations, ownerReferences: [owner] }, spec: agent.spec });
      return true;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
  // The cache may lag behind our own writes: on a conflict, read fresh and try once more.
  let current = cached ?? (await deps.ark.agents.get(namespace, agent.name));
  for (let attempt = 1; current; attempt++) {
    const controller = current.metadata.ownerReferences?.find((ref) => ref.controller);
    if (controller && controller.uid !== owner.uid) throw new Error(`exists and is controlled by ${controller.kind} ${controller.name}`);
    if (!controller && current.metadata.labels?.[A2A_SERVER_NAME_ANNOTATION] !== owner.name) throw new Error("exists and was not discovered from this A2AServer");
    const spec = { ...current.spec, ...agent.spec };
    if (!agent.spec.description) delete spec.description;
    const annotations = { ...current.metadata.annotations, ...agent.annotations };
    const upToDate =
      controller && current.metadata.labels?.[A2A_SERVER_NAME_ANNOTATION] === owner.name && isDeepStrictEqual(current.spec, spec) && isDeepStrictEqual(current.metadata.annotations, annotations);
    if (upToDate) return false;
    const others = (current.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== owner.uid);
    try {
      await deps.ark.agents.replace({
        ...current,
        metadata: { ...current.metadata, labels: { ...current.metadata.labels, ...labels }, annotations, ownerReferences: [...others, owner] },
        spec,
      });
      return false;
    } catch (error) {
      if (!isConflict(error) || attempt >= 2) throw error;
      current = await deps.ark.agents.get(namespace, agent.name);
    }
  }
  return false;
}

function ownerReference(server: A2AServer): V1OwnerReference & { name: string; uid: string } {
  return {
    apiVersion: `${a2aServerKind.group}/${a2aServerKind.version}`,
    kind: a2aServerKind.kind,
    name: server.metadata.name ?? "",
    uid: server.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}
