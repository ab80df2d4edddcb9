import { TaskState, type Message, type SendMessageRequest } from "@a2a-js/sdk";
import { AgentEvent, type AgentExecutor, type ExecutionEventBus, type RequestContext } from "@a2a-js/sdk/server";
import { followQueryEvents, type QueryBus } from "@ark/bus";
import { apiErrorMessage, decideToolApproval, type ArkClient } from "@ark/kube";
import { APPROVAL_QUERY_UID_LABEL, isDuration, isFinishedQueryPhase, parseDuration, STREAMING_ANNOTATION, type QueryEvent, type QueryTarget } from "@ark/types";
import type { FastifyBaseLogger } from "fastify";
import type { ServedResource } from "../agents/agent-card.js";
import { QUERY_METADATA_KEY, QueryEventTranslator, statusEvent, type TaskRef } from "./task-events.js";

/** Label on the Queries this service creates. */
const CREATED_BY_LABEL = "app.kubernetes.io/created-by";

export interface QueryExecutorDeps {
  ark: ArkClient;
  bus: QueryBus;
  log: FastifyBaseLogger;
  /** When the message's metadata names no `timeout`. */
  defaultTimeoutMs: number;
  /** How long after its timeout a task gives up on a query that has not ended (as upstream failed it at its timeout). */
  graceMs: number;
  /** Aborted when the service stops: tasks stop being followed here (their queries go on; any replica answers for them). */
  stopping: AbortSignal;
}

export interface QueryRef {
  namespace: string;
  name: string;
}

/** The Query that runs an A2A task: `a2a-<task id>`, so the task names its query and any replica can cancel or follow it. */
export function queryOfTask(namespace: string, taskId: string): QueryRef {
  return { namespace, name: `a2a-${taskId.toLowerCase()}` };
}

/** The text of a message's text parts, or undefined when it has none. */
export function textOf(message: Message | undefined): string | undefined {
  const texts = (message?.parts ?? []).flatMap((part) => (part.content?.$case === "text" ? [part.content.value] : []));
  return texts.length > 0 ? texts.join("\n") : undefined;
}

/** `metadata.timeout` of the message or the request: a duration (`90s`, `5m`) or seconds; undefined when absent. */
export function timeoutOf(message: Message, request: Pick<SendMessageRequest, "metadata">): number | undefined {
  const raw = message.metadata?.timeout ?? request.metadata?.timeout;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "number" && raw > 0) return raw * 1000;
  if (typeof raw === "string" && /^\d+$/.test(raw)) return Number(raw) * 1000;
  if (typeof raw === "string" && isDuration(raw) && parseDuration(raw) > 0) return parseDuration(raw);
  return Number.NaN;
}

/** Runs an A2A message as a Query on the Agent or Team and follows the query's events on the bus into task events. */
export class QueryExecutor implements AgentExecutor {
  constructor(
    private readonly resource: ServedResource,
    private readonly deps: QueryExecutorDeps,
  ) {}

  async execute(context: RequestContext, eventBus: ExecutionEventBus): Promise<void> {
    if (context.task?.status?.state === TaskState.TASK_STATE_INPUT_REQUIRED) return this.answerApproval(context, eventBus);
    const task: TaskRef = { taskId: context.taskId, contextId: context.contextId };
    const { namespace, name } = queryOfTask(this.resource.namespace, context.taskId);
    eventBus.publish(
      AgentEvent.task({
        id: task.taskId,
        contextId: task.contextId,
        status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: new Date().toISOString() },
        artifacts: [],
        history: [context.userMessage],
        metadata: { [QUERY_METADATA_KEY]: `${namespace}/${name}` },
      }),
    );
    const finish = (...events: ReturnType<typeof statusEvent>[]) => {
      for (const event of events) eventBus.publish(event);
      eventBus.finished();
    };
    const input = textOf(context.userMessage) ?? "";
    const timeoutMs = timeoutOf(context.userMessage, context.request) ?? this.deps.defaultTimeoutMs;
    const target: QueryTarget = { type: this.resource.kind, name: this.resource.name };
    let uid: string;
    try {
      const created = await this.deps.ark.queries.create({
        metadata: { name, namespace, labels: { [CREATED_BY_LABEL]: "ark-api-a2a" }, annotations: { [STREAMING_ANNOTATION]: "true" } },
        spec: { input, target, sessionId: task.contextId, timeout: `${Math.ceil(timeoutMs / 1000)}s` },
      });
      uid = created.metadata.uid ?? "";
    } catch (err) {
      this.deps.log.warn({ err, namespace, query: name }, "could not create the query of an A2A task");
      return finish(statusEvent(task, TaskState.TASK_STATE_FAILED, `could not create a query for ${target.type} ${namespace}/${target.name}: ${apiErrorMessage(err)}`));
    }

    await this.follow(task, { namespace, name, uid, timeoutMs }, eventBus);
  }

  /**
   * The task waits for a tool approval (input-required): this message decides it — "approve …" approves, anything
   * else rejects with the text as the reason — and the task follows the resumed query (docs/architecture.md §3.2).
   */
  private async answerApproval(context: RequestContext, eventBus: ExecutionEventBus): Promise<void> {
    const task: TaskRef = { taskId: context.taskId, contextId: context.contextId };
    const previous = context.task!;
    eventBus.publish(AgentEvent.task({ ...previous, status: { state: TaskState.TASK_STATE_WORKING, message: undefined, timestamp: new Date().toISOString() }, history: [...previous.history, context.userMessage] }));
    const { namespace, name } = queryOfTask(this.resource.namespace, context.taskId);
    const finish = (text: string) => {
      eventBus.publish(statusEvent(task, TaskState.TASK_STATE_FAILED, text));
      eventBus.finished();
    };
    const query = await this.deps.ark.queries.get(namespace, name).catch(() => undefined);
    const uid = query?.metadata.uid ?? "";
    if (!query || isFinishedQueryPhase(query.status?.phase)) return finish(`query ${namespace}/${name} is no longer running`);
    const requests = await this.deps.ark.toolApprovalRequests.list(namespace, { labelSelector: `${APPROVAL_QUERY_UID_LABEL}=${uid}` });
    const waiting = requests.find((r) => (r.status?.phase ?? "pending") === "pending" && !r.status?.decision);
    const after = await this.deps.bus.lastEvent({ namespace, name, queryUid: uid });
    if (waiting) {
      const text = (textOf(context.userMessage) ?? "").trim();
      const approve = /^(approve[d]?|yes|y|ok)\b[:,\s]*/i.exec(text);
      const reason = approve ? text.slice(approve[0].length).trim() : text.replace(/^(reject(ed)?|no|n)\b[:,\s]*/i, "").trim();
      const decided = await decideToolApproval(this.deps.ark, namespace, waiting.metadata.name ?? "", {
        action: approve ? "approved" : "rejected",
        // The caller's principal id (the route authenticated it); an approvers list is matched against it.
        decidedBy: context.context?.user?.userName || "a2a",
        ...(reason ? { reason } : {}),
      });
      if (!decided.ok) {
        eventBus.publish(statusEvent(task, TaskState.TASK_STATE_INPUT_REQUIRED, `${decided.message}. Reply "approve" or "reject: <reason>".`));
        return void eventBus.finished();
      }
    }
    await this.follow(task, { namespace, name, uid, timeoutMs: this.deps.defaultTimeoutMs, ...(after ? { afterSeq: after.seq } : {}) }, eventBus);
  }

  /** Follows the query's events into task events until it ends, pauses for approval, or the deadline passes. */
  private async follow(task: TaskRef, run: { namespace: string; name: string; uid: string; timeoutMs: number; afterSeq?: number }, eventBus: ExecutionEventBus): Promise<void> {
    const { namespace, name, uid, timeoutMs } = run;
    const target: QueryTarget = { type: this.resource.kind, name: this.resource.name };
    const finish = (...events: ReturnType<typeof statusEvent>[]) => {
      for (const event of events) eventBus.publish(event);
      eventBus.finished();
    };
    const translator = new QueryEventTranslator(task);
    const hasEnded = async () => {
      const current = await this.deps.ark.queries.get(namespace, name);
      return !current || current.metadata.uid !== uid || isFinishedQueryPhase(current.status?.phase);
    };
    const deadline = AbortSignal.timeout(timeoutMs + this.deps.graceMs);
    const signal = AbortSignal.any([this.deps.stopping, deadline]);
    const from = run.afterSeq ? { afterSeq: run.afterSeq } : {};
    for await (const envelope of followQueryEvents<QueryEvent>(this.deps.bus as QueryBus<QueryEvent>, { namespace, name, queryUid: uid }, { signal, hasEnded, ...from })) {
      const event = envelope.event;
      if (event.type === "content.delta" && event.target && (event.target.type !== target.type || event.target.name !== target.name)) continue;
      for (const translated of translator.translate(event)) eventBus.publish(translated);
      if (event.type === "query.completed" || event.type === "query.failed" || event.type === "query.canceled" || event.type === "tool.approval.requested") return void eventBus.finished();
    }
    if (this.deps.stopping.aborted) return void eventBus.finished();
    if (deadline.aborted) {
      const seconds = Math.round((timeoutMs + this.deps.graceMs) / 1000);
      return finish(
        statusEvent(
          task,
          TaskState.TASK_STATE_FAILED,
          `Query timed out: ${namespace}/${name} did not finish within ${seconds} seconds (its timeout and ${this.deps.graceMs / 1000} s of grace); is the controller running?`,
        ),
      );
    }
    const final = await this.deps.ark.queries.get(namespace, name).catch(() => undefined);
    const status = final?.metadata.uid === uid ? final.status : undefined;
    finish(...translator.ended(status?.phase, status?.message, status?.response?.content ?? status?.responses?.[0]?.content));
  }

  /** Cancels the query; its `query.canceled` event ends the task as canceled (ArkRequestHandler.cancelTask asks first). */
  async cancelTask(taskId: string): Promise<void> {
    await cancelQuery(this.deps.ark, queryOfTask(this.resource.namespace, taskId));
  }
}

/** As ark-api cancels: `spec.cancel: true`; the controller ends the run and the query. */
export async function cancelQuery(ark: ArkClient, query: QueryRef): Promise<void> {
  await ark.queries.patch(query.namespace, query.name, { spec: { cancel: true } });
}
