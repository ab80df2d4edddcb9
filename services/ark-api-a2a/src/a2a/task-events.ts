import { Role, TaskState, type Artifact, type Message, type Part } from "@a2a-js/sdk";
import type { AgentExecutionEvent } from "@a2a-js/sdk/server";
import { AgentEvent } from "@a2a-js/sdk/server";
import type { QueryEvent } from "@ark/types";
import { randomUUID } from "node:crypto";

/** Task metadata key naming the Query that runs the task (namespace/name), so any replica can cancel or follow it. */
export const QUERY_METADATA_KEY = "ark.mckinsey.com/query";

/** The artifact the answer is streamed into. */
const RESPONSE_ARTIFACT_ID = "response";

export interface TaskRef {
  taskId: string;
  contextId: string;
}

function textPart(text: string): Part {
  return { content: { $case: "text", value: text }, mediaType: "text/plain", filename: "", metadata: undefined };
}

function agentMessage(task: TaskRef, text: string): Message {
  return { messageId: randomUUID(), contextId: task.contextId, taskId: task.taskId, role: Role.ROLE_AGENT, parts: [textPart(text)], metadata: undefined, extensions: [], referenceTaskIds: [] };
}

export function statusEvent(task: TaskRef, state: TaskState, text?: string, metadata?: Record<string, unknown>): AgentExecutionEvent {
  return AgentEvent.statusUpdate({
    taskId: task.taskId,
    contextId: task.contextId,
    status: { state, message: text === undefined ? undefined : agentMessage(task, text), timestamp: new Date().toISOString() },
    metadata,
  });
}

function artifactEvent(task: TaskRef, text: string, append: boolean, lastChunk: boolean): AgentExecutionEvent {
  const artifact: Artifact = { artifactId: RESPONSE_ARTIFACT_ID, name: "response", description: "", parts: [textPart(text)], metadata: undefined, extensions: [] };
  return AgentEvent.artifactUpdate({ taskId: task.taskId, contextId: task.contextId, artifact, append, lastChunk, metadata: undefined });
}

/**
 * Turns a query's execution events into A2A task events: working status, the answer as artifact updates (streamed
 * chunks, or the whole answer at the end), tool calls as status messages, and the final status.
 */
export class QueryEventTranslator {
  private streamed = false;

  constructor(private readonly task: TaskRef) {}

  translate(event: QueryEvent): AgentExecutionEvent[] {
    switch (event.type) {
      case "query.started":
        return [statusEvent(this.task, TaskState.TASK_STATE_WORKING)];
      case "content.delta": {
        if (!event.chunk) return [];
        const append = this.streamed;
        this.streamed = true;
        return [artifactEvent(this.task, event.chunk, append, false)];
      }
      case "tool.call.started":
        return [statusEvent(this.task, TaskState.TASK_STATE_WORKING, `Calling tool ${event.toolName}`, { toolName: event.toolName, toolCallId: event.toolCallId, arguments: event.arguments })];
      case "tool.call.completed":
        return [
          statusEvent(this.task, TaskState.TASK_STATE_WORKING, event.isError ? `Tool ${event.toolName} failed: ${event.error ?? event.result}` : `Tool ${event.toolName} returned`, {
            toolName: event.toolName,
            toolCallId: event.toolCallId,
            isError: event.isError,
          }),
        ];
      case "tool.approval.requested": {
        // The run paused for a person (docs/architecture.md §3.2): the next message on this task answers it.
        const calls = event.toolCalls.map((c) => `${c.name}(${c.arguments})`).join(", ");
        const text = `Approval needed for ${calls}. Reply "approve" (optionally with a reason) or "reject: <reason>".`;
        return [statusEvent(this.task, TaskState.TASK_STATE_INPUT_REQUIRED, text, { approvalRequest: event.request, toolCalls: event.toolCalls })];
      }
      case "query.completed": {
        const answer = event.responses.map((response) => response.content).join("\n\n");
        return [this.finalArtifact(answer), statusEvent(this.task, TaskState.TASK_STATE_COMPLETED, answer)];
      }
      case "query.failed":
        return [statusEvent(this.task, TaskState.TASK_STATE_FAILED, `Query error: ${event.message}`)];
      case "query.canceled":
        return [statusEvent(this.task, TaskState.TASK_STATE_CANCELED, event.message ?? "Task canceled")];
      default:
        return [];
    }
  }

  /** The final status of a query that ended without a terminal event (rejected, deleted), from its phase. */
  ended(phase: string | undefined, message: string | undefined, answer: string | undefined): AgentExecutionEvent[] {
    if (phase === "done") return [this.finalArtifact(answer ?? ""), statusEvent(this.task, TaskState.TASK_STATE_COMPLETED, answer ?? "")];
    if (phase === "canceled") return [statusEvent(this.task, TaskState.TASK_STATE_CANCELED, message ?? "Task canceled")];
    return [statusEvent(this.task, TaskState.TASK_STATE_FAILED, `Query error: ${message ?? (phase ? `query ended in phase ${phase}` : "the query was deleted")}`)];
  }

  // The whole answer replaces the streamed chunks, so the stored task (and GetTask) holds it as one text part.
  private finalArtifact(answer: string): AgentExecutionEvent {
    return artifactEvent(this.task, answer, false, true);
  }
}
