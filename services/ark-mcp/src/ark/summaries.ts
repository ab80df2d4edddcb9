import type { Agent, Model, Query, Team } from "@ark/kube";
import { AVAILABLE_CONDITION, modelProviderOf } from "@ark/types";

type Conditions = { type: string; status: string; reason?: string | undefined }[] | undefined;

/** Upstream's `status` was a phase string; ARK kinds carry conditions, so say what Available says. */
function availability(conditions: Conditions): string | null {
  const available = conditions?.find((c) => c.type === AVAILABLE_CONDITION);
  if (!available) return null;
  return available.status === "True" ? "available" : (available.reason ?? "unavailable");
}

export function agentSummary(agent: Agent) {
  return {
    name: agent.metadata.name ?? "",
    namespace: agent.metadata.namespace ?? "",
    description: agent.spec.description ?? null,
    model_ref: agent.spec.modelRef?.name ?? "default",
    prompt: agent.spec.prompt ?? null,
    tools: (agent.spec.tools ?? []).map((tool) => tool.name ?? tool.type),
    status: availability(agent.status?.conditions),
  };
}

export function teamSummary(team: Team) {
  return {
    name: team.metadata.name ?? "",
    namespace: team.metadata.namespace ?? "",
    description: team.spec.description ?? null,
    strategy: team.spec.strategy,
    members: team.spec.members.map((member) => ({ type: member.type, name: member.name })),
    max_turns: team.spec.maxTurns ?? null,
    status: availability(team.status?.conditions),
  };
}

export function modelSummary(model: Model) {
  const id = model.spec.model;
  return {
    name: model.metadata.name ?? "",
    namespace: model.metadata.namespace ?? "",
    type: modelProviderOf(model.spec) ?? model.spec.type ?? null,
    model: typeof id.value === "string" ? id.value : null,
    status: model.status?.phase ?? availability(model.status?.conditions),
    message: model.status?.message ?? null,
  };
}

export function querySummary(query: Query) {
  const status = query.status;
  const responses = status?.responses ?? [];
  return {
    query_name: query.metadata.name ?? "",
    namespace: query.metadata.namespace ?? "",
    input: query.spec.input,
    targets: [...(query.spec.target ? [query.spec.target] : []), ...(query.spec.targets ?? [])].map((t) => `${t.type}/${t.name}`),
    phase: status?.phase ?? "pending",
    message: status?.message ?? null,
    // status.response also holds a single target's error (phase error); the answer is only a done one.
    response: (status?.response?.phase === "error" ? undefined : status?.response?.content) ?? responses[0]?.content ?? "",
    responses: responses.map((r) => ({ target: `${r.target.type}/${r.target.name}`, content: r.content })),
    errors: (status?.errors ?? []).map((e) => ({ target: `${e.target.type}/${e.target.name}`, message: e.message })),
    token_usage: status?.tokenUsage ?? null,
    duration: status?.duration ?? null,
    created: query.metadata.creationTimestamp ?? null,
  };
}
