import { NESTED_RUN_INPUT_SCHEMA } from "@ark/types";
import type { Tool } from "../tools/tool.js";
import { runAgentTarget } from "./agent-target.js";
import type { TargetEnvironment } from "./environment.js";
import { runTeamTarget } from "./team-target.js";

/** Agents and teams called as tools nest at most this deep (docs/upstream-compat.md §7.2). */
const MAX_TOOL_DEPTH = 5;

export interface NestedRunToolDefinition {
  /** The Tool resource: its name is the function name the model calls. */
  namespace: string;
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  run: { type: "agent" | "team"; name: string };
}

/**
 * A Tool of type agent or team: each call runs the agent or team (in the tool's namespace) on the call's `input`, with
 * no history, memory or streaming, as upstream; its steps are emitted nested under the call.
 */
export function nestedRunTool(definition: NestedRunToolDefinition, env: TargetEnvironment): Tool {
  const { run, namespace } = definition;
  const where = `tool ${namespace}/${definition.name}`;
  const depth = (env.toolDepth ?? 0) + 1;
  return {
    kind: run.type,
    definition: {
      type: "function",
      function: {
        name: definition.name,
        description: definition.description || `Ask the ${run.type} ${run.name}`,
        parameters: definition.inputSchema ?? { ...NESTED_RUN_INPUT_SCHEMA },
      },
    },
    async execute(rawArguments, context) {
      if (depth > MAX_TOOL_DEPTH) {
        throw new Error(`${where}: ${run.type} "${run.name}" not run: agents and teams called as tools nest at most ${MAX_TOOL_DEPTH} deep (do they call each other?)`);
      }
      const input = inputOf(rawArguments);
      if (input === undefined) throw new Error(`${where}: input parameter is required (a string)`);
      const runner = run.type === "agent" ? runAgentTarget : runTeamTarget;
      // The approvals are the call's own (env may be the caller's whole request, with the caller's).
      const { approvals: _callers, ...shared } = env as TargetEnvironment & { approvals?: unknown };
      const answer = await runner({
        ...shared,
        toolDepth: depth,
        namespace,
        target: { type: run.type, name: run.name },
        input,
        ...(context.signal ? { signal: context.signal } : {}),
        ...(context.emitNested ? { emit: context.emitNested } : {}),
        ...(context.approvals ? { approvals: context.approvals } : {}),
      });
      if (!answer.content) throw new Error(`${where}: ${run.type} "${run.name}" returned no answer`);
      return { content: answer.content };
    },
  };
}

function inputOf(rawArguments: string): string | undefined {
  try {
    const args: unknown = JSON.parse(rawArguments);
    const input = args && typeof args === "object" ? (args as Record<string, unknown>)["input"] : undefined;
    return typeof input === "string" ? input : undefined;
  } catch {
    return undefined;
  }
}
