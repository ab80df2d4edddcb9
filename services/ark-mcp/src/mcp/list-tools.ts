import { apiErrorMessage } from "@ark/kube";
import { canUseNamespace } from "@ark/service-kit";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { agentSummary, modelSummary, teamSummary } from "../ark/summaries.js";
import type { ArkMcpDeps } from "./deps.js";
import { jsonResult } from "./json-result.js";
import { McpToolError } from "./tool-error.js";

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

/** Every tool's namespace goes through here: one outside the caller's namespaces is refused, as ark-api does. */
export function namespaceArg(deps: ArkMcpDeps) {
  return z
    .string()
    .min(1)
    .default(deps.defaultNamespace)
    .refine((namespace) => canUseNamespace(deps.principal, namespace), { error: (issue) => `${deps.principal.id} may not use namespace ${String(issue.input)}` })
    .describe("Kubernetes namespace");
}

/** list_agents, list_teams, list_models: one namespace each, upstream's list shape. */
export function registerListTools(server: McpServer, deps: ArkMcpDeps): void {
  const lists = [
    { tool: "list_agents", kind: "agents", list: (ns: string) => deps.ark.agents.list(ns).then((items) => items.map(agentSummary)) },
    { tool: "list_teams", kind: "teams", list: (ns: string) => deps.ark.teams.list(ns).then((items) => items.map(teamSummary)) },
    { tool: "list_models", kind: "models", list: (ns: string) => deps.ark.models.list(ns).then((items) => items.map(modelSummary)) },
  ];
  for (const { tool, kind, list } of lists) {
    server.registerTool(
      tool,
      {
        title: `List ${kind}`,
        description: `List the ARK ${kind} in a namespace with their description, configuration and status.`,
        inputSchema: { namespace: namespaceArg(deps) },
        annotations: { title: `List ${kind}`, ...READ_ONLY },
      },
      async ({ namespace }) => {
        try {
          return jsonResult(await list(namespace));
        } catch (err) {
          throw new McpToolError(`could not list ${kind} in namespace ${namespace}: ${apiErrorMessage(err)}`, { cause: err });
        }
      },
    );
  }
}
