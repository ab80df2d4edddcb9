import { apiErrorMessage } from "@ark/kube";
import type { QueryEvent } from "@ark/types";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { querySummary } from "../ark/summaries.js";
import { progressMessage } from "../query/progress-message.js";
import { parseTarget, TARGET_TYPES } from "../query/query-target.js";
import { runQuery, type RunQueryRequest } from "../query/run-query.js";
import type { ArkMcpDeps } from "./deps.js";
import { jsonResult } from "./json-result.js";
import { namespaceArg } from "./list-tools.js";
import { McpToolError } from "./tool-error.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const RUNS_A_QUERY = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true } as const;

/** query (agent, team or model), query_agent (upstream's name and arguments) and get_query. */
export function registerQueryTools(server: McpServer, deps: ArkMcpDeps): void {
  server.registerTool(
    "query",
    {
      title: "Run a query",
      description:
        "Run a query against an ARK agent, team or model and return its answer. Name the target as agent/<name>, team/<name> or model/<name> " +
        "(or give type and name). Sends MCP progress notifications while it runs; canceling the call cancels the query.",
      inputSchema: {
        target: z.string().min(1).optional().describe("agent/<name>, team/<name> or model/<name>; a bare name is an agent"),
        type: z.enum(TARGET_TYPES).optional().describe("Target type, with name (instead of target)"),
        name: z.string().min(1).optional().describe("Target name, with type (instead of target)"),
        input: z.string().min(1).describe("The question or instruction"),
        namespace: namespaceArg(deps),
        timeout: z.int().min(1).max(3600).optional().describe("Seconds to wait for the answer; also the query's timeout"),
        sessionId: z.string().min(1).optional().describe("Memory session, to continue a conversation"),
      },
      annotations: { title: "Run a query", ...RUNS_A_QUERY },
    },
    async (args, extra) => {
      const target = args.target ? parseTarget(args.target) : args.type && args.name ? { type: args.type, name: args.name } : undefined;
      if (!target) throw new McpToolError("name the target: target (e.g. agent/my-agent), or type and name");
      return answerQuery(server, deps, { namespace: args.namespace, target, input: args.input, sessionId: args.sessionId, timeoutSeconds: args.timeout }, extra);
    },
  );

  server.registerTool(
    "query_agent",
    {
      title: "Query an agent",
      description: "Send a question to an agent and get its response (creates a Query and waits for it; same as query with target agent/<agent>).",
      inputSchema: {
        agent: z.string().trim().min(1).describe("Name of the agent to query"),
        input: z.string().trim().min(1).describe("The question or instruction to send to the agent"),
        namespace: namespaceArg(deps),
      },
      annotations: { title: "Query an agent", ...RUNS_A_QUERY },
    },
    async ({ agent, input, namespace }, extra) => answerQuery(server, deps, { namespace, target: { type: "agent", name: agent }, input }, extra),
  );

  server.registerTool(
    "get_query",
    {
      title: "Get a query",
      description: "Read a query's phase, answer, errors, token usage and duration.",
      inputSchema: { name: z.string().min(1).describe("Query name"), namespace: namespaceArg(deps) },
      annotations: { title: "Get a query", readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ name, namespace }) => {
      let query;
      try {
        query = await deps.ark.queries.get(namespace, name);
      } catch (err) {
        throw new McpToolError(`could not read query ${namespace}/${name}: ${apiErrorMessage(err)}`, { cause: err });
      }
      if (!query) throw new McpToolError(`query "${name}" not found in namespace ${namespace}`);
      return jsonResult(querySummary(query));
    },
  );
}

async function answerQuery(server: McpServer, deps: ArkMcpDeps, request: RunQueryRequest, extra: Extra) {
  const progress = progressSender(server, extra);
  const answer = await runQuery(deps, request, { signal: extra.signal, onEvent: progress.send });
  await progress.flushed();
  if (answer.success) return jsonResult(answer);
  const failed = jsonResult(answer, { isError: true });
  const why = answer.message ?? (answer.phase === "canceled" ? "canceled" : "failed");
  // The message first: clients that show one line show why.
  return { ...failed, content: [{ type: "text" as const, text: `query ${answer.namespace}/${answer.query_name} ${answer.phase}: ${why}` }, ...failed.content] };
}

/** One progress notification per meaningful event, in order, on the request's own stream; and a log line. */
function progressSender(server: McpServer, extra: Extra) {
  const token = extra._meta?.progressToken;
  let progress = 0;
  let chain: Promise<unknown> = Promise.resolve();
  return {
    send(event: QueryEvent): void {
      const message = progressMessage(event);
      if (!message) return;
      progress += 1;
      const current = progress;
      chain = chain
        .then(async () => {
          if (token !== undefined) await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: current, message } });
          await server.sendLoggingMessage({ level: "info", logger: "ark.query", data: { event: event.type, message } }, extra.sessionId);
        })
        .catch(() => undefined);
    },
    flushed: () => chain,
  };
}
