import { decideToolApproval, type ToolApprovalDecisionInput, type ToolApprovalRequest } from "@ark/kube";
import { ArkError, principalOf, type ServiceApp } from "@ark/service-kit";
import { JsonObject, TOOL_APPROVAL_PHASES } from "@ark/types";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { ApiContext } from "../context.js";
import { kubeCall } from "../http/kube-errors.js";
import { nameParams, namespaceParams } from "../http/schemas.js";
import { unprocessable } from "../http/validation.js";

const ListApprovalsQuery = z.object({ phase: z.enum(TOOL_APPROVAL_PHASES).optional().describe("Only requests in this phase.") });
const ApproveBody = z
  .object({
    reason: z.string().optional(),
    arguments: JsonObject.optional().describe("ARK extension: arguments replacing the call's (a request with one call)."),
  })
  .strict();
const RejectBody = z.object({ reason: z.string().optional() }).strict();

/** A ToolApprovalRequest as ark-api shows it: who waits, on which calls, and what was decided. */
function toolApprovalDto(request: ToolApprovalRequest) {
  const { metadata, spec, status } = request;
  return {
    name: metadata.name,
    namespace: metadata.namespace,
    query: spec.queryRef.name,
    phase: status?.phase ?? "pending",
    toolCalls: spec.toolCalls,
    ...(spec.timeout ? { timeout: spec.timeout } : {}),
    onTimeout: spec.onTimeout ?? "reject",
    reasonRequired: spec.reasonRequired ?? false,
    ...(spec.approvers ? { approvers: spec.approvers } : {}),
    ...(status?.requestedAt ? { requestedAt: status.requestedAt } : {}),
    ...(status?.decision ? { decision: status.decision } : {}),
    createdAt: metadata.creationTimestamp,
  };
}

/** GET /v1/namespaces/{ns}/tool-approvals[/{name}], POST …/{name}/approve and …/{name}/reject (docs/architecture.md §3.2). */
export function registerToolApprovalRoutes(app: ServiceApp, ctx: ApiContext): void {
  const tags = ["tool-approvals"];
  const collection = "/v1/namespaces/:namespace/tool-approvals";

  app.get(collection, { schema: { tags, summary: "List tool approval requests", params: namespaceParams, querystring: ListApprovalsQuery } }, async (request) => {
    const { namespace } = request.params;
    const all = await kubeCall("ToolApprovalRequest list", () => ctx.ark.toolApprovalRequests.list(namespace));
    const items = all.map(toolApprovalDto).filter((item) => !request.query.phase || item.phase === request.query.phase);
    return { items, count: items.length };
  });

  app.get(`${collection}/:name`, { schema: { tags, summary: "Get a tool approval request", params: nameParams } }, async (request) => {
    const { namespace, name } = request.params;
    const found = await kubeCall(`ToolApprovalRequest ${namespace}/${name}`, () => ctx.ark.toolApprovalRequests.get(namespace, name));
    if (!found) throw new ArkError("NOT_FOUND", `ToolApprovalRequest ${namespace}/${name} not found`);
    return toolApprovalDto(found);
  });

  app.post(`${collection}/:name/approve`, { schema: { tags, summary: "Approve the calls (optionally with other arguments)", params: nameParams } }, async (request) => {
    const body = parseBody(ApproveBody, request.body, "approval");
    return decide(ctx, request, { action: "approved", ...body });
  });

  app.post(`${collection}/:name/reject`, { schema: { tags, summary: "Reject the calls; the model is told, with the reason", params: nameParams } }, async (request) => {
    const body = parseBody(RejectBody, request.body, "rejection");
    return decide(ctx, request, { action: "rejected", ...body });
  });
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw unprocessable(
    parsed.error.issues.map((issue) => ({ field: ["body", ...issue.path.map(String)].join("."), type: "Invalid value", value: undefined, detail: issue.message })),
    what,
  );
}

async function decide(ctx: ApiContext, request: FastifyRequest<{ Params: { namespace: string; name: string } }>, input: Omit<ToolApprovalDecisionInput, "decidedBy" | "clientContext">) {
  const { namespace, name } = request.params;
  const userAgent = request.headers["user-agent"];
  const { id, groups, roles } = principalOf(request);
  const result = await kubeCall(`ToolApprovalRequest ${namespace}/${name}`, () =>
    decideToolApproval(ctx.ark, namespace, name, {
      ...input,
      decidedBy: id,
      ...(groups ? { groups } : {}),
      ...(roles ? { roles } : {}),
      clientContext: { ipAddress: request.ip, ...(userAgent ? { userAgent } : {}) },
    }),
  );
  if (result.ok) return toolApprovalDto(result.request);
  if (result.code === "INVALID") throw unprocessable([{ field: `body.${result.field ?? ""}`, type: "Invalid value", detail: result.message }], "decision");
  throw new ArkError(result.code, result.message);
}
