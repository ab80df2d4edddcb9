import { agentDefinition, EngineError, resolveParameters, runAgent } from "@ark/engine";
import { modelProvider } from "../../references/model-provider.js";
import { agentModelRef, modelNotFound } from "../../references/names.js";
import { agentTools } from "../agent-tools.js";
import type { TargetRunner } from "./target-runner.js";

/** Target type `agent` (upstream §6.4): the agent loop over its model and tools. Memory comes later. */
export const runAgentTarget: TargetRunner = async (run) => {
  const namespace = run.query.metadata.namespace ?? "";
  const agent = await run.lookup.agent(namespace, run.target.name);
  if (!agent) throw new EngineError("CONFIG_ERROR", `agent "${run.target.name}" not found in namespace ${namespace}`);
  const ref = agentModelRef(agent);
  const model = await run.lookup.model(ref.namespace, ref.name);
  if (!model) throw new EngineError("CONFIG_ERROR", modelNotFound(agent, ref));
  const provider = await modelProvider(model, run.resources, run.providerOptions);
  const tools = await agentTools(agent, run.lookup);
  const parameters = agent.spec.parameters?.length
    ? await resolveParameters(agent.spec.parameters, namespace, run.resources.configValues)
    : undefined;
  const result = await runAgent({
    agent: agentDefinition({ namespace, name: run.target.name }, agent.spec, parameters),
    provider,
    tools,
    input: run.input,
    stream: run.stream,
    signal: run.signal,
    emit: run.emit,
    target: run.target,
  });
  return { content: result.content };
};
