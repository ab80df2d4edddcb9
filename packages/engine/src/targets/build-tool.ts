import { BUILT_IN_TOOL_NAMES } from "@ark/types";
import { EngineError } from "../errors.js";
import { resolveHeaderValues } from "../http/header-values.js";
import { withOverrideHeaders } from "./overrides.js";
import { resolveParameters } from "./parameters.js";
import { BUILTIN_TOOLS, builtinTool } from "../tools/builtin.js";
import { createHttpTool } from "../tools/http.js";
import { mcpTool } from "../tools/mcp/tool.js";
import { presentTool } from "../tools/partial.js";
import type { Tool } from "../tools/tool.js";
import type { TargetEnvironment } from "./environment.js";
import { nestedRunTool } from "./nested-run-tool.js";
import type { ToolResource } from "./resolver.js";

/** A Tool resource (http, mcp, agent, team or builtin) → a Tool the model can call, named after the resource. */
export async function buildTool(tool: ToolResource, env: TargetEnvironment): Promise<Tool> {
  const namespace = tool.metadata.namespace ?? "";
  const name = tool.metadata.name ?? "";
  const where = `tool ${namespace}/${name}`;
  const description = tool.spec.description || tool.metadata.annotations?.["description"];
  if (tool.spec.type === "http") {
    const http = tool.spec.http;
    if (!http) throw new EngineError("CONFIG_ERROR", `${where}: spec.http is required for an http tool`);
    const headers = await resolveHeaderValues(http.headers, `${where}: spec.http.headers`, {
      read: (source) => env.resolver.resolveValue(source, namespace),
      queryParameters: env.queryParameters ?? {},
    });
    const bodyParameters = http.bodyParameters?.length ? await resolveParameters(http.bodyParameters, namespace, env.resolver.configValues) : undefined;
    return createHttpTool({ namespace, name, description, inputSchema: tool.spec.inputSchema, http, headers, bodyParameters }, env.egress);
  }
  if (tool.spec.type === "agent" || tool.spec.type === "team") {
    const ref = tool.spec[tool.spec.type];
    if (!ref?.name) throw new EngineError("CONFIG_ERROR", `${where}: spec.${tool.spec.type}.name is required for a ${tool.spec.type} tool`);
    const inputSchema = tool.spec.inputSchema as Record<string, unknown> | undefined;
    return nestedRunTool({ namespace, name, description, inputSchema, run: { type: tool.spec.type, name: ref.name } }, env);
  }
  if (tool.spec.type === "builtin") {
    const builtin = tool.spec.builtin?.name || name;
    if (!BUILTIN_TOOLS[builtin]) throw new EngineError("CONFIG_ERROR", `${where}: unsupported builtin tool ${builtin}: supported builtin tools are: ${BUILT_IN_TOOL_NAMES.join(", ")}`);
    return presentTool(builtinTool(builtin), { name, ...(description ? { description } : {}) });
  }
  const ref = tool.spec.mcp?.mcpServerRef;
  if (!ref) throw new EngineError("CONFIG_ERROR", `${where}: spec.mcp is required for an mcp tool`);
  if (!env.mcpPool || !env.resolver.getMcpServer) throw new EngineError("CONFIG_ERROR", `${where}: this worker has no MCP client pool`);
  const serverNamespace = ref.namespace || namespace;
  const server = await env.resolver.getMcpServer(serverNamespace, ref.name, env.queryParameters ?? {});
  if (!server) throw new EngineError("CONFIG_ERROR", `${where}: MCP server "${ref.name}" not found in namespace ${serverNamespace}`);
  const headers = withOverrideHeaders(server.connection.headers, env.overrides, "mcpserver", server.labels);
  return mcpTool({
    pool: env.mcpPool,
    tool: { metadata: { name, annotations: tool.metadata.annotations }, spec: tool.spec },
    server: { ...server.connection, ...(headers ? { headers } : {}) },
    timeout: server.timeout,
  });
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
