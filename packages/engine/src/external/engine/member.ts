import { remoteAgentMember, type TeamMember } from "../../teams/member.js";
import type { AgentResource } from "../../targets/resolver.js";
import type { TargetEnvironment } from "../../targets/environment.js";
import type { TargetRequest } from "../../targets/target-run.js";
import { runEngineAgent } from "./run-engine-agent.js";

/** A team member that is an agent run by its ExecutionEngine: each turn is one execution with the conversation as history. */
export function engineAgentMember(agent: AgentResource, env: TargetEnvironment & Partial<Pick<TargetRequest, "query">>): TeamMember {
  const namespace = agent.metadata.namespace ?? "";
  return remoteAgentMember(agent, (turn, target) =>
    runEngineAgent(agent, {
      ...env,
      namespace,
      target,
      input: turn.input,
      history: turn.conversation,
      ...(turn.signal ? { signal: turn.signal } : {}),
      ...(turn.emit ? { emit: turn.emit } : {}),
      ...(turn.stream !== undefined ? { stream: turn.stream } : {}),
    }),
  );
}
