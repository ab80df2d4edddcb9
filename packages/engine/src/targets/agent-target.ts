import { RESERVED_EXECUTION_ENGINE_NAME } from "@ark/types";
import { isA2AAgent, runA2AAgent } from "../a2a/run.js";
import { runAgent } from "../agent/loop.js";
import { runEngineAgent } from "../external/engine/run-engine-agent.js";
import { loadAgent } from "./load-agent.js";
import { targetNotFound, type TargetRunner } from "./target-run.js";

/** Target type agent (docs/upstream-compat.md §6.4): the agent loop; a terminate call simply ends it with its response. */
export const runAgentTarget: TargetRunner = async (request) => {
  const { namespace, target, input, history, stream, signal, emit } = request;
  // An Agent of an A2AServer (executionEngine a2a) is its remote agent's (docs/upstream-compat.md §6.7.2); an agent with
  // another spec.executionEngine is run by that engine (docs/architecture.md §8).
  const resource = await request.resolver.getAgent(namespace, target.name);
  if (!resource) throw targetNotFound(request);
  if (isA2AAgent(resource)) return runA2AAgent(request, resource);
  const engine = resource.spec.executionEngine;
  if (engine && engine.name !== RESERVED_EXECUTION_ENGINE_NAME) return runEngineAgent(resource, request);
  const agent = await loadAgent(namespace, target.name, request);
  const approvals = request.approvals;
  const result = await runAgent({ agent: agent.definition, provider: agent.provider, tools: agent.tools, input, history, stream, signal, emit, target, ...(approvals ? { approvals } : {}) });
  return { content: result.content, messages: result.messages };
};
