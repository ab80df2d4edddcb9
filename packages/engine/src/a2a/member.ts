import { remoteAgentMember, type TeamMember } from "../teams/member.js";
import type { TargetEnvironment } from "../targets/environment.js";
import type { AgentResource } from "../targets/resolver.js";
import { zeroUsage } from "../usage.js";
import { runA2AAgent } from "./run.js";

/** An A2A agent taking part in a team: the shared conversation is its history, its remote's answer its turn. */
export function a2aAgentMember(env: TargetEnvironment, namespace: string, agent: AgentResource): TeamMember {
  return remoteAgentMember(agent, async (turn, target) => {
    const answer = await runA2AAgent({ ...env, namespace, target, input: turn.input, history: turn.conversation, signal: turn.signal, emit: turn.emit, stream: turn.stream }, agent);
    return { messages: answer.messages, tokenUsage: zeroUsage() };
  });
}
