import { apiErrorMessage, decideToolApproval, type ToolApprovalRequest } from "@ark/kube";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ArkMcpDeps } from "./deps.js";
import { jsonResult } from "./json-result.js";
import { namespaceArg } from "./list-tools.js";
import { McpToolError } from "./tool-error.js";

function approvalSummary(request: ToolApprovalRequest) {
  return {
    name: request.metadata.name,
    query: request.spec.queryRef.name,
    phase: request.status?.phase ?? "pending",
    tool_calls: request.spec.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments, ...(c.agentReasoning ? { reasoning: c.agentReasoning } : {}) })),
    reason_required: request.spec.reasonRequired ?? false,
    ...(request.status?.decision ? { decision: request.status.decision } : {}),
  };
}

/** list_tool_approvals and decide_tool_approval: a person answers a paused run from an MCP client (docs/architecture.md §3.2). */
export function registerApprovalTools(server: McpServer, deps: ArkMcpDeps): void {
  server.registerTool(
    "list_tool_approvals",
    {
      title: "List tool approvals",
      description: "Tool calls of running queries that wait for a person's approval (pending requests, unless all is true).",
      inputSchema: { namespace: namespaceArg(deps), all: z.boolean().optional().describe("Decided and expired requests too") },
      annotations: { title: "List tool approvals", readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ namespace, all }) => {
      let requests;
      try {
        requests = await deps.ark.toolApprovalRequests.list(namespace);
      } catch (err) {
        throw new McpToolError(`could not list tool approvals in ${namespace}: ${apiErrorMessage(err)}`, { cause: err });
      }
      return jsonResult(requests.map(approvalSummary).filter((r) => all || r.phase === "pending"));
    },
  );

  server.registerTool(
    "decide_tool_approval",
    {
      title: "Approve or reject tool calls",
      description:
        "Approve or reject a pending tool approval request; the query resumes. A rejection reaches the model with the reason. " +
        "arguments (approve only, a request with one call) runs the call with these arguments instead.",
      inputSchema: {
        name: z.string().min(1).describe("The request's name (from list_tool_approvals)"),
        action: z.enum(["approve", "reject"]),
        reason: z.string().optional(),
        arguments: z.record(z.string(), z.unknown()).optional().describe("Replacement arguments (approve only)"),
        namespace: namespaceArg(deps),
      },
      annotations: { title: "Approve or reject tool calls", readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ name, action, reason, arguments: args, namespace }) => {
      let result;
      try {
        result = await decideToolApproval(deps.ark, namespace, name, {
          action: action === "approve" ? "approved" : "rejected",
          decidedBy: deps.principal.id,
          ...(deps.principal.groups ? { groups: deps.principal.groups } : {}),
          ...(deps.principal.roles ? { roles: deps.principal.roles } : {}),
          ...(reason ? { reason } : {}),
          ...(args ? { arguments: args } : {}),
        });
      } catch (err) {
        throw new McpToolError(`could not decide ${namespace}/${name}: ${apiErrorMessage(err)}`, { cause: err });
      }
      if (!result.ok) throw new McpToolError(result.message);
      return jsonResult(approvalSummary(result.request));
    },
  );
}
