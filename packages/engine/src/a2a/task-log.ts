import { TaskState } from "@a2a-js/sdk";
import type { A2ATaskArtifact, A2ATaskPhase, A2ATaskProtocolState } from "@ark/types";

/** What is known of a remote A2A task a query's A2A agent ran: the worker keeps it as an A2ATask (docs/upstream-compat.md §6.7.2). */
export interface A2ATaskRecord {
  /** The Agent (executionEngine a2a) and its A2AServer, in the query's namespace. */
  namespace: string;
  agent: string;
  server: string;
  taskId: string;
  contextId?: string;
  input: string;
  phase: A2ATaskPhase;
  protocolState?: A2ATaskProtocolState;
  artifacts?: A2ATaskArtifact[];
  /** The remote's last status message (text). */
  statusText?: string;
  error?: string;
  /** RFC 3339. */
  startTime: string;
  completionTime?: string;
}

/** Where records go; the worker writes A2ATask resources. A failed write never fails the query. */
export interface A2ATaskRecorder {
  record(task: A2ATaskRecord): Promise<void>;
}

const PROTOCOL_STATES: Partial<Record<TaskState, A2ATaskProtocolState>> = {
  [TaskState.TASK_STATE_SUBMITTED]: "submitted",
  [TaskState.TASK_STATE_WORKING]: "working",
  [TaskState.TASK_STATE_INPUT_REQUIRED]: "input-required",
  [TaskState.TASK_STATE_COMPLETED]: "completed",
  [TaskState.TASK_STATE_CANCELED]: "canceled",
  [TaskState.TASK_STATE_FAILED]: "failed",
  [TaskState.TASK_STATE_REJECTED]: "rejected",
  [TaskState.TASK_STATE_AUTH_REQUIRED]: "auth-required",
};

const PHASES: Record<A2ATaskProtocolState, A2ATaskPhase> = {
  submitted: "running",
  working: "running",
  "input-required": "input-required",
  completed: "completed",
  canceled: "cancelled",
  failed: "failed",
  rejected: "failed",
  "auth-required": "auth-required",
  unknown: "unknown",
};

export interface RemoteTaskView {
  taskId: string;
  contextId?: string;
  state: TaskState | undefined;
  statusText: string;
  artifacts: ReadonlyMap<string, string>;
}

/** Writes a run's task record when the task first appears and when it ends, in that order, best effort. */
export class A2ATaskLog {
  private chain: Promise<void> = Promise.resolve();
  private readonly startTime = new Date().toISOString();
  private announced = false;

  constructor(
    private readonly recorder: A2ATaskRecorder | undefined,
    private readonly base: Pick<A2ATaskRecord, "namespace" | "agent" | "server" | "input">,
  ) {}

  /** The task exists remotely: recorded once, running. */
  seen(view: RemoteTaskView): void {
    if (!this.recorder || this.announced || !view.taskId) return;
    this.announced = true;
    this.write(view, {});
  }

  /** The run ended (answered, failed, canceled): the final record, waited for. */
  async finish(view: RemoteTaskView, outcome: { error?: string; canceled?: boolean } = {}): Promise<void> {
    if (!this.recorder || !view.taskId) return;
    this.write(view, { ...outcome, completionTime: new Date().toISOString() });
    await this.chain;
  }

  private write(view: RemoteTaskView, end: { error?: string; canceled?: boolean; completionTime?: string }): void {
    const protocolState = view.state === undefined ? undefined : (PROTOCOL_STATES[view.state] ?? "unknown");
    let phase: A2ATaskPhase = protocolState ? PHASES[protocolState] : "running";
    if (end.canceled) phase = "cancelled";
    else if (end.error && phase !== "input-required" && phase !== "auth-required") phase = "failed";
    const artifacts = [...view.artifacts].map(([artifactId, text]) => ({ artifactId: artifactId || "answer", parts: [{ kind: "text" as const, text }] }));
    const record: A2ATaskRecord = {
      ...this.base,
      taskId: view.taskId,
      ...(view.contextId ? { contextId: view.contextId } : {}),
      phase,
      ...(protocolState ? { protocolState } : {}),
      ...(artifacts.length > 0 ? { artifacts } : {}),
      ...(view.statusText ? { statusText: view.statusText } : {}),
      ...(end.error ? { error: end.error } : {}),
      startTime: this.startTime,
      ...(end.completionTime ? { completionTime: end.completionTime } : {}),
    };
    const recorder = this.recorder!;
    this.chain = this.chain.then(() => recorder.record(record)).catch(() => undefined);
  }
}
