import { randomBytes } from "node:crypto";
import type { ToolCallbackRequest, ToolCallbackResponse } from "@ark/types";
import { refusedApprovalCall, runToolCall } from "../../agent/run-tool-call.js";
import type { StepEvent } from "../../events/emit.js";
import type { ToolRegistry } from "../../tools/registry.js";

/** Where the engine's tool callback is served (`path` below the worker's advertised URL). */
export const TOOL_CALLBACK_PATH = "/v1/engine-tool-calls";

interface ToolCallbackSession {
  /** The engine runs one of these tools (and only these) through ARK's tool path. */
  tools: ToolRegistry;
  /** `namespace/name` of the agent, for tool contexts and errors. */
  agent: string;
  /** The run's signal: a canceled or timed-out run stops its tools. */
  signal?: AbortSignal;
  /** tool.call.started / tool.call.completed of every call. */
  emit?: (event: StepEvent) => void;
}

interface OpenedToolCallback {
  url: string;
  token: string;
  /** Ends the session: its token is refused from now on. */
  close(): void;
}

/** What the engine package asks of a worker that can serve tool callbacks. */
export interface ToolCallbackHost {
  open(session: ToolCallbackSession): OpenedToolCallback;
}

export type ToolCallbackOutcome = { ok: true; response: ToolCallbackResponse } | { ok: false; status: 401 | 404; message: string };

/**
 * The sessions of engine-run agents on one worker (docs/architecture.md §8): a random token per execution, valid for
 * that execution's tools until it ends. The worker's HTTP route hands each callback to `call`; a wrong or expired
 * token runs nothing.
 */
export class ToolCallbackSessions implements ToolCallbackHost {
  private readonly sessions = new Map<string, ToolCallbackSession>();

  /** `baseUrl`: the worker as engines reach it (its advertised URL). */
  constructor(private readonly baseUrl: () => string) {}

  open(session: ToolCallbackSession): OpenedToolCallback {
    const token = randomBytes(32).toString("base64url");
    this.sessions.set(token, session);
    const close = (): void => {
      this.sessions.delete(token);
    };
    session.signal?.addEventListener("abort", close, { once: true });
    return { url: `${this.baseUrl().replace(/\/+$/, "")}${TOOL_CALLBACK_PATH}`, token, close };
  }

  /** Whether `token` opens a session now (checked before the request body is even read). */
  isOpen(token: string | undefined): boolean {
    return token !== undefined && this.sessions.has(token);
  }

  async call(token: string | undefined, request: ToolCallbackRequest): Promise<ToolCallbackOutcome> {
    const session = token ? this.sessions.get(token) : undefined;
    if (!session) return { ok: false, status: 401, message: "unknown or expired tool callback token" };
    if (!session.tools.get(request.name)) {
      return { ok: false, status: 404, message: `tool ${request.name} is not one of agent ${session.agent}'s tools` };
    }
    const args = typeof request.arguments === "string" ? request.arguments : JSON.stringify(request.arguments);
    const toolCallId = request.toolCallId || `callback-${randomBytes(6).toString("hex")}`;
    const call = { id: toolCallId, type: "function" as const, function: { name: request.name, arguments: args } };
    const context = { agent: session.agent, ...(session.signal ? { signal: session.signal } : {}), ...(session.emit ? { emit: session.emit } : {}) };
    // An engine's run cannot pause for a person (docs/architecture.md §3.2): a call needing approval is refused, never run.
    const outcome = session.tools.get(request.name)?.approval?.needsApproval(args)
      ? await refusedApprovalCall(call, session.tools, context, "an execution engine's run cannot pause")
      : await runToolCall(call, session.tools, context);
    return { ok: true, response: { content: outcome.message.content, isError: outcome.error !== undefined } };
  }
}
