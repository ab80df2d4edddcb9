import { createHash } from "node:crypto";
import type { A2ATaskRecord, A2ATaskRecorder } from "@ark/engine";
import { setCondition, type A2ATask } from "@ark/kube";
import { A2A_TASK_QUERY_LABEL, queryKind, type A2ATaskStatus } from "@ark/types";
import type { QueryRunJob } from "@ark/types";
import type { ArkResources } from "../resources.js";

/** The A2ATask of a query's remote task: `<query>-<hash of the query uid and task id>`. */
function a2aTaskName(job: Pick<QueryRunJob, "name" | "queryUid">, taskId: string): string {
  const hash = createHash("sha256").update(`${job.queryUid}/${taskId}`).digest("hex").slice(0, 8);
  return `${job.name.slice(0, 253 - 9)}-${hash}`;
}

/**
 * Keeps an A2ATask per remote task the query's A2A agents run (docs/upstream-compat.md §6.7.2): created, owned by the
 * Query, when the task appears; its status follows the task to its end.
 */
export function a2aTaskRecorder(resources: Pick<ArkResources, "ark">, job: Pick<QueryRunJob, "name" | "namespace" | "queryUid">): A2ATaskRecorder {
  const tasks = resources.ark.a2aTasks;
  return {
    async record(record: A2ATaskRecord) {
      const name = a2aTaskName(job, record.taskId);
      let task: A2ATask | undefined = await tasks.get(job.namespace, name);
      if (!task) {
        task = await tasks.create({
          metadata: {
            name,
            namespace: job.namespace,
            labels: { [A2A_TASK_QUERY_LABEL]: job.name },
            ownerReferences: [{ apiVersion: `${queryKind.group}/${queryKind.version}`, kind: queryKind.kind, name: job.name, uid: job.queryUid, controller: true }],
          },
          spec: {
            queryRef: { name: job.name, namespace: job.namespace },
            a2aServerRef: { name: record.server, namespace: record.namespace },
            agentRef: { name: record.agent, namespace: record.namespace },
            taskId: record.taskId,
            ...(record.contextId ? { contextId: record.contextId } : {}),
            input: record.input,
          },
        });
      }
      await tasks.patchStatus(job.namespace, name, statusOf(task, record));
    },
  };
}

function statusOf(task: A2ATask, record: A2ATaskRecord): A2ATaskStatus {
  const done = record.completionTime !== undefined;
  const conditions = setCondition(
    task.status?.conditions,
    {
      type: "Completed",
      status: done ? "True" : "False",
      reason: done ? (record.phase === "completed" ? "TaskCompleted" : "TaskEnded") : "TaskRunning",
      message: done ? `the remote task ended ${record.phase}${record.error ? `: ${record.error}` : ""}` : "the remote task is running",
    },
    task.metadata.generation,
  );
  return {
    phase: record.phase,
    ...(record.protocolState ? { protocolState: record.protocolState } : {}),
    ...(record.contextId ? { contextId: record.contextId } : {}),
    ...(record.artifacts ? { artifacts: record.artifacts } : {}),
    ...(record.statusText ? { lastStatusMessage: { role: "agent", parts: [{ kind: "text", text: record.statusText }] } } : {}),
    ...(record.error ? { error: record.error } : {}),
    startTime: record.startTime,
    ...(record.completionTime ? { completionTime: record.completionTime } : {}),
    ...(conditions ? { conditions } : {}),
  };
}
