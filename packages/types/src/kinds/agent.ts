import { z } from "zod";
import { duplicate, forbidden, invalid, isSet, required, unsupported } from "../admission/field-errors.js";
import { checkValueFrom } from "../admission/value-source.js";
import { checkOverrides } from "../admission/overrides.js";
import { AGENT_PARAMETER_SOURCES, checkParameters } from "../admission/parameters.js";
import { reconcileStatusShape } from "../shared/condition.js";
import { JsonObject } from "../shared/json-object.js";
import { Override } from "../shared/override.js";
import { Parameter } from "../shared/parameter.js";
import { ValueFromSource } from "../shared/value-source.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { AGE_COLUMN } from "./common.js";
import { checkToolApproval, ToolApproval } from "./tool-approval.js";

export const BUILT_IN_TOOL_NAMES = ["noop", "terminate"] as const;
export const DEFAULT_MAX_ITERATIONS = 20;

/** Agent tool entry types: the original two and upstream's newer ones (docs/upstream-compat.md §7.1). */
export const AGENT_TOOL_TYPES = ["built-in", "custom", "mcp", "http", "agent", "team", "builtin"] as const;
export type AgentToolType = (typeof AGENT_TOOL_TYPES)[number];

export const AgentToolFunction = z.object({
  name: z.string().min(1).describe("Post-processing function; only jq has an effect."),
  value: z.string().optional().describe("Function argument, e.g. the jq expression."),
  valueFrom: ValueFromSource.optional().describe("The argument read from a ConfigMap or Secret key instead of value."),
});
export type AgentToolFunction = z.output<typeof AgentToolFunction>;

export const ToolPartial = z
  .object({
    name: z.string().min(1).optional().describe("The Tool resource to call; the entry's name is then the name the model sees."),
    parameters: z.array(AgentToolFunction).optional().describe("Arguments set on every call and hidden from the model; a value is a Go template over .Query.<parameter>."),
  })
  .describe("Exposes a Tool under another name with preset arguments the model neither sees nor sets.");
export type ToolPartial = z.output<typeof ToolPartial>;

export const AgentTool = z.object({
  type: z.enum(AGENT_TOOL_TYPES).describe("built-in: noop or terminate; any other type: a Tool in the agent's namespace (custom, or named after its type)."),
  name: z.string().min(1).optional().describe("Built-in tool name, or the Tool's name (the name the model sees with partial)."),
  description: z.string().optional().describe("Replaces the Tool's description as the model sees it."),
  functions: z.array(AgentToolFunction).optional().describe("Filters applied to the tool's result."),
  approval: ToolApproval.optional().describe("Overrides the Tool's spec.approval for this agent, field by field."),
  partial: ToolPartial.optional(),
});
export type AgentTool = z.output<typeof AgentTool>;

/** The Tool resource an entry calls: `partial.name` when set, else the entry's name. */
export function agentToolResourceName(tool: Pick<AgentTool, "name" | "partial">): string | undefined {
  return tool.partial?.name || tool.name;
}

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
  parameters: z.array(Parameter).optional().describe("Values for the prompt template; valueFrom.queryParameterRef reads the running Query's."),
  outputSchema: JsonObject.optional().describe("JSON Schema of a structured answer (response_format json_schema)."),
  maxIterations: z.int().min(1).optional().describe(`Cap on model calls in one agent loop; the loop ends with an error past it. Default ${DEFAULT_MAX_ITERATIONS}.`),
  overrides: z.array(Override).optional().describe("Headers added to this agent's calls to Models and MCPServers selected by label; a query's overrides win over them."),
});
export type AgentSpec = z.output<typeof AgentSpec>;

export const AgentStatus = z.object({ ...reconcileStatusShape });
export type AgentStatus = z.output<typeof AgentStatus>;

function checkTools(tools: readonly AgentTool[] | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  (tools ?? []).forEach((tool, i) => {
    const at = `spec.tools[${i}]`;
    if (!isSet(tool.name)) errors.push(required(`${at}.name`, `tool[${i}]: ${tool.type} tools must specify a name`));
    else if (seen.has(tool.name)) errors.push(duplicate(`${at}.name`, tool.name, `tool[${i}]: tool '${tool.name}' is listed more than once`));
    else if (tool.type === "built-in" && !(BUILT_IN_TOOL_NAMES as readonly string[]).includes(tool.name)) {
      const supported = BUILT_IN_TOOL_NAMES.join(", ");
      errors.push(unsupported(`${at}.name`, tool.name, `tool[${i}]: unsupported built-in tool '${tool.name}': supported built-in tools are: ${supported}`));
    }
    if (isSet(tool.name)) seen.add(tool.name);
    errors.push(...checkToolApproval(tool.approval, `spec.tools[${i}].approval`));
    if (tool.partial && tool.type === "built-in") {
      errors.push(forbidden(`${at}.partial`, `tool[${i}]: partial is not supported for built-in tools; use type builtin with a Tool`));
    }
    errors.push(...checkFunctions(tool.functions, `${at}.functions`, i));
    errors.push(...checkParameters(tool.partial?.parameters, `${at}.partial.parameters`));
  });
  return errors;
}

function checkFunctions(functions: readonly AgentToolFunction[] | undefined, path: string, toolIndex: number): FieldError[] {
  const errors: FieldError[] = [];
  (functions ?? []).forEach((fn, j) => {
    const at = `${path}[${j}]`;
    const label = `tool[${toolIndex}] function[${j}] '${fn.name}'`;
    if (isSet(fn.value) && fn.valueFrom) errors.push(invalid(at, undefined, `${label}: cannot specify both value and valueFrom`));
    else if (fn.valueFrom) {
      for (const e of checkValueFrom(fn.valueFrom, `${at}.valueFrom`, ["configMapKeyRef", "secretKeyRef"])) {
        errors.push({ ...e, detail: `${label}: ${e.detail}` });
      }
    }
  });
  return errors;
}

export function admitAgent(spec: AgentSpec): FieldError[] {
  return [...checkParameters(spec.parameters, "spec.parameters", AGENT_PARAMETER_SOURCES), ...checkTools(spec.tools), ...checkOverrides(spec.overrides, "spec.overrides")];
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
