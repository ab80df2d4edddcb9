import type { AgentSpec } from "@ark/types";
import type { AgentDefinition } from "./loop.js";

/** An Agent resource → what the loop needs; `parameters` are the already resolved `spec.parameters`. */
export function agentDefinition(metadata: { namespace: string; name: string }, spec: Pick<AgentSpec, "prompt" | "outputSchema" | "maxIterations">, parameters?: Record<string, string>): AgentDefinition {
  return {
    namespace: metadata.namespace,
    name: metadata.name,
    ...(spec.prompt !== undefined ? { prompt: spec.prompt } : {}),
    ...(parameters !== undefined ? { parameters } : {}),
    ...(spec.outputSchema !== undefined ? { outputSchema: spec.outputSchema as Record<string, unknown> } : {}),
    ...(spec.maxIterations !== undefined ? { maxIterations: spec.maxIterations } : {}),
  };
}
