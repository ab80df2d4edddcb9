import { randomUUID } from "node:crypto";
import { A2A_SERVER_NAME_ANNOTATION, backoffDelay, RESERVED_EXECUTION_ENGINE_NAME } from "@ark/types";
import { Role, TaskState, type Message, type Part, type Task } from "@a2a-js/sdk";
import type { Client } from "@a2a-js/sdk/client";
import { sanitizeName } from "../agent/output-schema.js";
import { abortError, EngineError, isEngineError } from "../errors.js";
import { contextEmitter } from "../events/emit.js";
import type { ChatMessage } from "../messages.js";
import { sanitizeRemoteText } from "../remote-text.js";
import { sleep } from "../http/retry.js";
import { defaultEgressGuard } from "../tools/egress.js";
import type { AgentResource } from "../targets/resolver.js";
import type { TargetAnswer, TargetRequest } from "../targets/target-run.js";
import { A2ACardError, fetchAgentCard } from "./card.js";
import { createA2AClient } from "./client.js";
import { resolveEndpoint } from "./endpoint.js";
import { setSpanContent, SpanKind, traced } from "../tracing.js";
import { A2ATaskLog, type RemoteTaskView } from "./task-log.js";

/** The Agent is run by its A2AServer's remote agent. */
export function isA2AAgent(agent: AgentResource): boolean {
  return agent.spec.executionEngine?.name === RESERVED_EXECUTION_ENGINE_NAME;
}

/** How long a CancelTask may take once the query is canceled or timed out. */
const CANCEL_TIMEOUT_MS = 5_000;
const POLL_MIN_MS = 250;
const POLL_MAX_MS = 2_000;

/** States a remote task stops in without an answer: the query ends naming them. */
const INTERRUPTED: Partial<Record<TaskState, string>> = {
  [TaskState.TASK_STATE_INPUT_REQUIRED]: "input-required",
  [TaskState.TASK_STATE_AUTH_REQUIRED]: "auth-required",
};
const FAILED: Partial<Record<TaskState, string>> = {
  [TaskState.TASK_STATE_FAILED]: "failed",
  [TaskState.TASK_STATE_REJECTED]: "rejected",
  [TaskState.TASK_STATE_CANCELED]: "canceled",
};

/**
 * An Agent with `executionEngine: a2a` (docs/upstream-compat.md §6.7.2): the remote agent of its A2AServer, through
 * the A2A SDK. The history and the input go as one user message (one text part per earlier turn, then the input);
 * with a streaming card the answer arrives as artifact updates (content.delta events when the query streams); a
 * cancel or timeout of the query cancels the remote task.
 */
export async function runA2AAgent(request: TargetRequest, agent: AgentResource): Promise<TargetAnswer> {
  const attributes = {
    "gen_ai.operation.name": "invoke_agent",
    "gen_ai.agent.name": `${request.namespace}/${agent.metadata.name ?? request.target.name}`,
    "ark.a2a.server": agent.metadata.annotations?.[A2A_SERVER_NAME_ANNOTATION] ?? "",
  };
  return traced(
    "a2a.call",
    attributes,
    async (span) => {
      setSpanContent(span, { "langfuse.observation.input": () => request.input });
      const answer = await a2aAgentRun(request, agent);
      setSpanContent(span, { "langfuse.observation.output": () => answer.content });
      return answer;
    },
    SpanKind.CLIENT,
  );
}

async function a2aAgentRun(request: TargetRequest, agent: AgentResource): Promise<TargetAnswer> {
  const { namespace, target } = request;
  const agentName = agent.metadata.name ?? target.name;
  const serverName = agent.metadata.annotations?.[A2A_SERVER_NAME_ANNOTATION];
  if (!serverName) throw new EngineError("CONFIG_ERROR", `agent ${namespace}/${agentName}: executionEngine a2a needs the annotation ${A2A_SERVER_NAME_ANNOTATION} naming its A2AServer`);
  const where = `A2A server ${namespace}/${serverName}`;
  if (!request.resolver.getA2AServer) throw new EngineError("CONFIG_ERROR", `agent ${namespace}/${agentName}: this worker cannot run A2A agents`);
  const server = await request.resolver.getA2AServer(namespace, serverName, request.queryParameters ?? {});
  if (!server) throw new EngineError("CONFIG_ERROR", `agent ${namespace}/${agentName}: A2AServer "${serverName}" not found in namespace ${namespace}`);
  const egress = request.egress ?? defaultEgressGuard;
  // The A2AServer's spec.timeout bounds the call as well as the query's own timeout and cancel.
  const limit = server.timeoutMs && server.timeoutMs > 0 ? AbortSignal.timeout(server.timeoutMs) : undefined;
  const signal = limit && request.signal ? AbortSignal.any([request.signal, limit]) : (limit ?? request.signal);
  const secrets = Object.values(server.headers);
  const fail = (what: string, cause?: unknown): EngineError => new EngineError("A2A_ERROR", `${where}: ${sanitizeRemoteText(what, { secrets })}`, cause === undefined ? undefined : { cause });

  let card: Record<string, unknown>;
  try {
    card = (await fetchAgentCard(server.address, { headers: server.headers, egress, ...(signal ? { signal } : {}) })).card;
  } catch (error) {
    if (signal?.aborted) throw abortError(signal, where);
    throw fail(error instanceof A2ACardError ? error.message : String(error), error);
  }
  const { endpoint } = resolveEndpoint(server.address, card, server.endpointResolution, server.allowedEndpointHosts);
  const streaming = (card.capabilities as { streaming?: unknown } | undefined)?.streaming === true;
  const { client } = await createA2AClient({ card, endpoint, headers: server.headers, egress, polling: !streaming });

  const emit = request.stream ? contextEmitter(request.emit, { target, agent: agentName }) : undefined;
  const message: Message = {
    messageId: randomUUID(),
    contextId: "",
    taskId: "",
    role: Role.ROLE_USER,
    parts: [...historyParts(request.history ?? []), textPart(request.input)],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
  const log = new A2ATaskLog(request.a2aTasks, { namespace, agent: agentName, server: serverName, input: request.input });
  const run = new RemoteRun((view) => log.seen(view));
  try {
    const answer = await exchange();
    await log.finish(run);
    return answer;
  } catch (error) {
    await log.finish(run, signal?.aborted ? { canceled: true, error: "the query was canceled or timed out" } : { error: error instanceof Error ? error.message : String(error) });
    throw error;
  }

  async function exchange(): Promise<TargetAnswer> {
    try {
      if (streaming) {
        for await (const event of client.sendMessageStream({ tenant: "", message, configuration: undefined, metadata: undefined }, signal ? { signal } : {})) {
          const payload = event.payload;
          if (!payload) continue;
          if (payload.$case === "task") run.task(payload.value);
          else if (payload.$case === "message") run.reply(payload.value);
          else if (payload.$case === "statusUpdate") {
            run.context(payload.value.contextId);
            run.status(payload.value.taskId, payload.value.status?.state, payload.value.status?.message);
          } else {
            const chunk = run.artifact(payload.value.taskId, payload.value.artifact?.artifactId ?? "", payload.value.artifact?.parts ?? [], payload.value.append);
            if (chunk) emit?.({ type: "content.delta", chunk });
          }
        }
      } else {
        const result = await client.sendMessage({ tenant: "", message, configuration: undefined, metadata: undefined }, signal ? { signal } : {});
        if ("role" in result && !("status" in result)) run.reply(result as Message);
        else run.task(result as Task);
        for (let polls = 1; run.taskId && !run.settled(); polls++) {
          await sleep(backoffDelay(polls, { baseMs: POLL_MIN_MS, maxMs: POLL_MAX_MS }), signal);
          run.task(await client.getTask({ tenant: "", id: run.taskId, historyLength: 0 }, signal ? { signal } : {}));
        }
      }
    } catch (error) {
      if (signal?.aborted) {
        await cancelRemote(client, run.taskId);
        throw abortError(signal, where);
      }
      if (isEngineError(error)) throw error;
      throw fail(`${error instanceof Error ? error.message : String(error)}`, error);
    }
    if (signal?.aborted) {
      await cancelRemote(client, run.taskId);
      throw abortError(signal, where);
    }
    const state = run.state;
    if (state !== undefined && FAILED[state]) {
      const said = run.statusText;
      throw fail(`the remote task ${run.taskId} ended ${FAILED[state]}${said ? `: ${said}` : ""}`);
    }
    if (state !== undefined && INTERRUPTED[state]) {
      const said = run.statusText;
      throw new EngineError("A2A_INTERRUPTED", `${where}: the remote task ${run.taskId} ended ${INTERRUPTED[state]}${said ? `: ${sanitizeRemoteText(said, { secrets, max: 1000 })}` : ""}`);
    }
    if (state !== undefined && !run.settled()) throw fail(`the remote task ${run.taskId} ended without finishing (state ${TaskState[state] ?? state})`);
    const content = run.content();
    // As upstream's status.response.a2a: the remote's context and task (docs/upstream-compat.md §6.2).
    const a2a = run.contextId || run.taskId ? { ...(run.contextId ? { contextId: run.contextId } : {}), ...(run.taskId ? { taskId: run.taskId } : {}) } : undefined;
    return { content, messages: [{ role: "assistant", content, name: sanitizeName(agentName) }], ...(a2a ? { a2a } : {}) };
  }
}

/** What the remote said so far: the task's state, its artifacts' text (in order), its status message, a direct reply. */
class RemoteRun implements RemoteTaskView {
  taskId = "";
  contextId: string | undefined;
  state: TaskState | undefined;
  private statusMessage: Message | undefined;
  private replyText: string | undefined;
  readonly artifacts = new Map<string, string>();

  /** `onTask`: called whenever the task (its id known) changes. */
  constructor(private readonly onTask: (view: RemoteTaskView) => void = () => undefined) {}

  get statusText(): string {
    return this.statusMessage ? textOf(this.statusMessage.parts) : "";
  }

  context(contextId: string | undefined): void {
    if (contextId) this.contextId = contextId;
  }

  task(task: Task): void {
    this.taskId = task.id || this.taskId;
    this.context(task.contextId);
    for (const artifact of task.artifacts ?? []) this.artifacts.set(artifact.artifactId, textOf(artifact.parts));
    this.status(task.id, task.status?.state, task.status?.message);
  }

  reply(message: Message): void {
    this.context(message.contextId);
    if (message.taskId) this.taskId = message.taskId;
    this.replyText = textOf(message.parts);
    this.state = TaskState.TASK_STATE_COMPLETED;
  }

  status(taskId: string, state: TaskState | undefined, message: Message | undefined): void {
    if (taskId) this.taskId = taskId;
    if (state !== undefined && state !== TaskState.TASK_STATE_UNSPECIFIED) this.state = state;
    if (message && textOf(message.parts)) this.statusMessage = message;
    if (this.taskId) this.onTask(this);
  }

  /** Adds an artifact chunk; returns the new text. */
  artifact(taskId: string, id: string, parts: Part[], append: boolean): string {
    if (taskId) this.taskId = taskId;
    const text = textOf(parts);
    this.artifacts.set(id, (append ? (this.artifacts.get(id) ?? "") : "") + text);
    return text;
  }

  /** Completed, or stopped for good (failed, canceled, rejected, input/auth required). */
  settled(): boolean {
    const state = this.state;
    return state === TaskState.TASK_STATE_COMPLETED || (state !== undefined && (FAILED[state] !== undefined || INTERRUPTED[state] !== undefined));
  }

  content(): string {
    const artifacts = [...this.artifacts.values()].filter(Boolean).join("\n");
    return artifacts || this.statusText || this.replyText || "";
  }
}

function textPart(text: string, metadata?: Record<string, unknown>): Part {
  return { content: { $case: "text", value: text }, metadata, filename: "", mediaType: "text/plain" };
}

/** Earlier turns of the session, one text part each, `role: text` (tool traffic left out: the remote has its own tools). */
function historyParts(history: readonly ChatMessage[]): Part[] {
  return history.flatMap((message) => {
    if (message.role !== "user" && message.role !== "assistant") return [];
    const text = typeof message.content === "string" ? message.content : "";
    return text ? [textPart(`${message.role}: ${text}`, { "ark.role": message.role, "ark.history": true })] : [];
  });
}

function textOf(parts: readonly Part[] | undefined): string {
  return (parts ?? []).map((part) => (part.content?.$case === "text" ? part.content.value : "")).join("");
}

/** CancelTask for the remote task, bounded; the query ends canceled whatever the remote answers. */
async function cancelRemote(client: Client, taskId: string): Promise<void> {
  if (!taskId) return;
  await client.cancelTask({ tenant: "", id: taskId, metadata: undefined }, { signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS) }).catch(() => undefined);
}
