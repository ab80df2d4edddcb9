import { z } from "zod";
import { forbidden, required, unsupported } from "../admission/field-errors.js";
import { checkHeaders } from "../admission/headers.js";
import { checkParameters } from "../admission/parameters.js";
import { checkInputSchema } from "../admission/input-schema.js";
import { reconcileStatusShape } from "../shared/condition.js";
import { Header } from "../shared/header.js";
import { JsonObject } from "../shared/json-object.js";
import { Parameter } from "../shared/parameter.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { BUILT_IN_TOOL_NAMES } from "./agent.js";
import { AGE_COLUMN } from "./common.js";
import { checkToolApproval, ToolApproval } from "./tool-approval.js";

export const HttpMethod = z.enum(["GET", "POST", "PUT", "DELETE", "PATCH"]);

export const HttpToolSpec = z.object({
  url: z
    .string()
    .min(1)
    .regex(/^https?:\/\/.*/)
    .describe("Endpoint; {arg} placeholders are replaced by the URL-escaped tool-call arguments."),
  method: HttpMethod.default("GET"),
  headers: z.array(Header).optional(),
  timeout: z
    .string()
    .regex(/^[0-9]+[smh]?$/)
    .optional()
    .describe("Request timeout: a number with unit s, m or h, e.g. 30s (the default)."),
  body: z.string().optional().describe("Go template over .input (the tool-call arguments) and bodyParameters; sent for POST, PUT, PATCH."),
  bodyParameters: z.array(Parameter).optional().describe("Values for the body template."),
});
export type HttpToolSpec = z.output<typeof HttpToolSpec>;

export const McpToolSpec = z.object({
  mcpServerRef: z.object({
    name: z.string(),
    namespace: z.string().optional().describe("Defaults to the tool's namespace."),
  }),
  toolName: z.string().min(1).describe("Tool name on the MCP server."),
});
export type McpToolSpec = z.output<typeof McpToolSpec>;

export const ToolAnnotations = z
  .object({
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
    readOnlyHint: z.boolean().optional(),
    title: z.string().optional(),
  })
  .describe("MCP tool hints; informational.");

const NamedRef = (what: string) => z.object({ name: z.string().min(1).describe(`Name of the ${what} in the tool's namespace.`) });

export const AgentToolRef = NamedRef("Agent").describe("Required when type is agent: the agent run as the tool.");
export const TeamToolRef = NamedRef("Team").describe("Required when type is team: the team run as the tool.");
export const BuiltinToolRef = z.object({ name: z.string().min(1).describe("noop or terminate.") }).describe("When type is builtin: the built-in tool; the Tool's own name when absent.");

export const TOOL_TYPES = ["http", "mcp", "agent", "team", "builtin"] as const;
export type ToolType = (typeof TOOL_TYPES)[number];

/** Arguments of an agent or team Tool without an inputSchema: the text the nested run gets as its input. */
export const NESTED_RUN_INPUT_SCHEMA = {
  type: "object",
  properties: { input: { type: "string", description: "The message to send." } },
  required: ["input"],
} as const;

export const ToolSpec = z.object({
  type: z.enum(TOOL_TYPES),
  description: z.string().optional().describe("Description the model sees; metadata.annotations.description when empty."),
  inputSchema: JsonObject.optional().describe("JSON Schema of the tool-call arguments."),
  annotations: ToolAnnotations.optional(),
  http: HttpToolSpec.optional().describe("Required when type is http."),
  mcp: McpToolSpec.optional().describe("Required when type is mcp."),
  approval: ToolApproval.optional().describe("A person approves calls of this tool before they run."),
  agent: AgentToolRef.optional(),
  team: TeamToolRef.optional(),
  builtin: BuiltinToolRef.optional(),
});
export type ToolSpec = z.output<typeof ToolSpec>;

export const ToolStatus = z.object({
  state: z.string().optional(),
  message: z.string().optional(),
  ...reconcileStatusShape,
});
export type ToolStatus = z.output<typeof ToolStatus>;

const TYPE_BLOCKS = ["http", "mcp", "agent", "team", "builtin"] as const satisfies readonly ToolType[];

function checkTypeBlocks(spec: ToolSpec): FieldError[] {
  const errors: FieldError[] = [];
  for (const block of TYPE_BLOCKS) {
    if (block !== spec.type && spec[block]) errors.push(forbidden(`spec.${block}`, `${block} may only be set when type is ${block}`));
  }
  if (spec.type === "http") {
    if (!spec.http) errors.push(required("spec.http", "http spec is required for http type"));
    else errors.push(...checkHeaders(spec.http.headers, "spec.http.headers"), ...checkParameters(spec.http.bodyParameters, "spec.http.bodyParameters"));
  } else if (spec.type === "mcp") {
    if (!spec.mcp) errors.push(required("spec.mcp", "MCP spec is required for mcp type"));
    else if (spec.mcp.mcpServerRef.name === "") errors.push(required("spec.mcp.mcpServerRef.name", "MCP server name is required"));
  } else if (spec.type === "agent" || spec.type === "team") {
    if (!spec[spec.type]) errors.push(required(`spec.${spec.type}`, `${spec.type} spec is required for ${spec.type} type (spec.${spec.type}.name)`));
  } else if (spec.builtin && !(BUILT_IN_TOOL_NAMES as readonly string[]).includes(spec.builtin.name)) {
    const supported = BUILT_IN_TOOL_NAMES.join(", ");
    errors.push(unsupported("spec.builtin.name", spec.builtin.name, `unsupported builtin tool '${spec.builtin.name}': supported builtin tools are: ${supported}`));
  }
  return errors;
}

export function admitTool(spec: ToolSpec): FieldError[] {
  return [...checkInputSchema(spec.inputSchema, "spec.inputSchema"), ...checkTypeBlocks(spec), ...checkToolApproval(spec.approval, "spec.approval")];
}

export const toolKind: KindDefinition<typeof ToolSpec, typeof ToolStatus> = {
  group: GROUP,
  version: "v1alpha1",
  kind: "Tool",
  listKind: "ToolList",
  plural: "tools",
  singular: "tool",
  spec: ToolSpec,
  status: ToolStatus,
  printerColumns: [AGE_COLUMN],
  admit: ({ spec }) => admitTool(spec),
};
