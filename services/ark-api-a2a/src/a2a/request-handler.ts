import { TaskState, type AgentCard, type Message, type CancelTaskRequest, type SendMessageRequest, type StreamResponse, type SubscribeToTaskRequest, type Task } from "@a2a-js/sdk";
import { RequestMalformedError } from "@a2a-js/sdk/errors";
import { DefaultExecutionEventBusManager, DefaultRequestHandler, type ServerCallContext, type TaskStore } from "@a2a-js/sdk/server";
import { followQueryEvents, type QueryBus } from "@ark/bus";
import { isNotFound } from "@ark/kube";
import { isFinishedQueryPhase, type QueryEvent } from "@ark/types";
import type { ServedResource } from "../agents/agent-card.js";
import { cancelQuery, QueryExecutor, queryOfTask, textOf, timeoutOf, type QueryExecutorDeps } from "./query-executor.js";
import { QueryEventTranslator } from "./task-events.js";

const FINAL_STATES = new Set([TaskState.TASK_STATE_COMPLETED, TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_CANCELED, TaskState.TASK_STATE_REJECTED]);

/**
 * The SDK's request handler for one Agent or Team, plus what a replicated service needs: a message is checked before it
 * becomes a task, CancelTask cancels the Query (whichever replica runs it), and SubscribeToTask on a replica that does
 * not run the task follows the Query's events on the bus.
 */
export class ArkRequestHandler extends DefaultRequestHandler {
  private readonly buses: DefaultExecutionEventBusManager;

  constructor(
    card: AgentCard,
    private readonly resource: ServedResource,
    private readonly store: TaskStore,
    private readonly deps: QueryExecutorDeps,
  ) {
    const buses = new DefaultExecutionEventBusManager();
    super(card, store, new QueryExecutor(resource, deps), buses);
    this.buses = buses;
  }

  override sendMessage(params: SendMessageRequest, context: ServerCallContext): Promise<Message | Task> {
    checkMessage(params);
    return super.sendMessage(params, context);
  }

  override sendMessageStream(params: SendMessageRequest, context: ServerCallContext): AsyncGenerator<StreamResponse, void, undefined> {
    checkMessage(params);
    return super.sendMessageStream(params, context);
  }

  override async cancelTask(params: CancelTaskRequest, context: ServerCallContext): Promise<Task> {
    const task = await this.store.load(params.id, context);
    if (task && !FINAL_STATES.has(task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED)) {
      await cancelQuery(this.deps.ark, queryOfTask(this.resource.namespace, task.id)).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
    }
    return super.cancelTask(params, context);
  }

  override async *resubscribe(params: SubscribeToTaskRequest, context: ServerCallContext): AsyncGenerator<StreamResponse, void, undefined> {
    const task = this.buses.getByTaskId(params.id, context) ? undefined : await this.store.load(params.id, context);
    if (!task || FINAL_STATES.has(task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED)) {
      yield* super.resubscribe(params, context);
      return;
    }
    // Another replica runs the task: its query's events are on the bus.
    yield { payload: { $case: "task", value: task } };
    const { namespace, name } = queryOfTask(this.resource.namespace, task.id);
    const query = await this.deps.ark.queries.get(namespace, name);
    if (!query) return;
    const uid = query.metadata.uid ?? "";
    const translator = new QueryEventTranslator({ taskId: task.id, contextId: task.contextId });
    const hasEnded = async () => {
      const current = await this.deps.ark.queries.get(namespace, name);
      return !current || current.metadata.uid !== uid || isFinishedQueryPhase(current.status?.phase);
    };
    const stop = new AbortController();
    const signal = AbortSignal.any([stop.signal, this.deps.stopping]);
    try {
      for await (const envelope of followQueryEvents<QueryEvent>(this.deps.bus as QueryBus<QueryEvent>, { namespace, name, queryUid: uid }, { signal, hasEnded })) {
        for (const event of translator.translate(envelope.event)) {
          if (event.kind === "statusUpdate") yield { payload: { $case: "statusUpdate", value: event.data } };
          if (event.kind === "artifactUpdate") yield { payload: { $case: "artifactUpdate", value: event.data } };
        }
      }
    } finally {
      stop.abort();
    }
  }
}

/** A message the service can run: it has a text part and, when given, a usable `metadata.timeout`. */
function checkMessage(params: SendMessageRequest): void {
  if (!params.message) return;
  if (textOf(params.message) === undefined) {
    throw new RequestMalformedError("message.parts has no text part: ARK agents take text input (send a part with text)");
  }
  const timeout = timeoutOf(params.message, params);
  if (timeout !== undefined && !(timeout > 0)) {
    throw new RequestMalformedError(`metadata.timeout must be a duration such as 90s or 5m, or a number of seconds; got ${JSON.stringify(params.message.metadata?.timeout ?? params.metadata?.timeout)}`);
  }
}
