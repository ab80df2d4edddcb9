import { z } from "zod";
import { duplicate, isSet, required, unsupported } from "../admission/field-errors.js";
import { checkParameters } from "../admission/parameters.js";
import { reconcileStatusShape } from "../shared/condition.js";
import { JsonObject } from "../shared/json-object.js";
import { Parameter } from "../shared/parameter.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { AGE_COLUMN } from "./common.js";
import { checkToolApproval, ToolApproval } from "./tool-approval.js";

export const BUILT_IN_TOOL_NAMES = ["noop", "terminate"] as const;
export const DEFAULT_MAX_ITERATIONS = 20;

export const AgentToolFunction = z.object({
  name: z.string().min(1).describe("Post-processing function; only jq has an effect."),
  value: z.string().optional().describe("Function argument, e.g. the jq expression."),
});

export const AgentTool = z.object({
  type: z.enum(["built-in", "custom"]).describe("built-in: noop or terminate; custom: a Tool in the agent's namespace."),
  name: z.string().min(1).optional().describe("Built-in tool name or Tool resource name."),
  functions: z.array(AgentToolFunction).optional().describe("Filters applied to the tool's result."),
  approval: ToolApproval.optional().describe("Overrides the Tool's spec.approval for this agent, field by field."),
});
export type AgentTool = z.output<typeof AgentTool>;

const ObjectReference = z.object({
  name: z.string().min(1),
  namespace: z.string().optional().describe("Defaults to the agent's namespace."),
});

export const AgentSpec = z.object({
  prompt: z.string().optional().describe("System prompt; a Go template over parameters when parameters are set."),
  description: z.string().optional().describe("Shown to team selectors, A2A cards and the API."),
  modelRef: ObjectReference.optional().describe("Model to use; the Model named default in the agent's namespace when absent."),
  executionEngine: ObjectReference.optional().describe("External ExecutionEngine running this agent; the name a2a is reserved."),
  tools: z.array(AgentTool).optional(),
  parameters: z.array(Parameter).optional().describe("Values for the prompt template."),
  outputSchema: JsonObject.optional().describe("JSON Schema of a structured answer (response_format json_schema)."),
  maxIterations: z
    .int()
    .min(1)
    .optional()
    .describe(`Cap on model calls in one agent loop; the loop ends with an error past it. Default ${DEFAULT_MAX_ITERATIONS}.`),
});
export type AgentSpec = z.output<typeof AgentSpec>;

export const AgentStatus = z.object({ ...reconcileStatusShape });
export type AgentStatus = z.output<typeof AgentStatus>;

function checkTools(tools: readonly AgentTool[] | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  (tools ?? []).forEach((tool, i) => {
    const at = `spec.tools[${i}].name`;
    if (!isSet(tool.name)) errors.push(required(at, `tool[${i}]: ${tool.type} tools must specify a name`));
    else if (seen.has(tool.name)) errors.push(duplicate(at, tool.name, `tool[${i}]: tool '${tool.name}' is listed more than once`));
    else if (tool.type === "built-in" && !(BUILT_IN_TOOL_NAMES as readonly string[]).includes(tool.name)) {
      const supported = BUILT_IN_TOOL_NAMES.join(", ");
      errors.push(unsupported(at, tool.name, `tool[${i}]: unsupported built-in tool '${tool.name}': supported built-in tools are: ${supported}`));
    }
    if (isSet(tool.name)) seen.add(tool.name);
    errors.push(...checkToolApproval(tool.approval, `spec.tools[${i}].approval`));
  });
  return errors;
}

export function admitAgent(spec: AgentSpec): FieldError[] {
  return [...checkParameters(spec.parameters, "spec.parameters"), ...checkTools(spec.tools)];
}

export const agentKind: KindDefinition<typeof AgentSpec, typeof AgentStatus> = {
  group: GROUP,
  version: "v1alpha1",
  kind: "Agent",
  listKind: "AgentList",
  plural: "agents",
  singular: "agent",
  spec: AgentSpec,
  status: AgentStatus,
  printerColumns: [AGE_COLUMN],
  admit: ({ spec }) => admitAgent(spec),
};
