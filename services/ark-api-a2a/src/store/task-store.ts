import { Task, TaskState, taskStateToJSON, type ListTasksRequest, type ListTasksResponse } from "@a2a-js/sdk";
import { resolveUserScope, type ServerCallContext, type TaskStore } from "@a2a-js/sdk/server";
import type { DatabaseOutage } from "@ark/service-kit";
import { and, count, desc, eq, gt, type SQL } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import type pg from "pg";
import { noteStoreFailure } from "../a2a/database-unavailable.js";
import { a2aTasks } from "./schema.js";

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

/**
 * The SDK's TaskStore in PostgreSQL, scoped by the caller, so every replica answers GetTask, ListTasks and CancelTask.
 * A call that finds the database unreachable marks its request, which is answered 503 (a2a/database-unavailable.ts).
 */
export class PostgresTaskStore implements TaskStore {
  private readonly db: NodePgDatabase;

  constructor(
    pool: pg.Pool,
    private readonly outage: DatabaseOutage,
  ) {
    this.db = drizzle({ client: pool });
  }

  save(task: Task, context: ServerCallContext): Promise<void> {
    return this.noted(context, () => this.write(task, context));
  }

  load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    return this.noted(context, () => this.read(taskId, context));
  }

  list(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    return this.noted(context, () => this.page(params, context));
  }

  private async noted<T>(context: ServerCallContext, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      noteStoreFailure(this.outage, context, err);
      throw err;
    }
  }

  private async write(task: Task, context: ServerCallContext): Promise<void> {
    const row = {
      owner: resolveUserScope(context),
      id: task.id,
      contextId: task.contextId,
      state: taskStateToJSON(task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED),
      updatedAt: Date.parse(task.status?.timestamp ?? "") || Date.now(),
      task: Task.toJSON(task) as object,
    };
    await this.db
      .insert(a2aTasks)
      .values(row)
      .onConflictDoUpdate({ target: [a2aTasks.owner, a2aTasks.id], set: { contextId: row.contextId, state: row.state, updatedAt: row.updatedAt, task: row.task } });
  }

  private async read(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    const [row] = await this.db
      .select({ task: a2aTasks.task })
      .from(a2aTasks)
      .where(and(eq(a2aTasks.owner, resolveUserScope(context)), eq(a2aTasks.id, taskId)));
    return row ? Task.fromJSON(row.task) : undefined;
  }

  private async page(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    const filters: SQL[] = [eq(a2aTasks.owner, resolveUserScope(context))];
    if (params.contextId) filters.push(eq(a2aTasks.contextId, params.contextId));
    if (params.status) filters.push(eq(a2aTasks.state, taskStateToJSON(params.status)));
    if (params.statusTimestampAfter) filters.push(gt(a2aTasks.updatedAt, Date.parse(params.statusTimestampAfter)));
    const where = and(...filters);
    const pageSize = Math.min(params.pageSize || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const offset = params.pageToken ? Number.parseInt(params.pageToken, 10) || 0 : 0;
    const [total] = await this.db.select({ n: count() }).from(a2aTasks).where(where);
    const rows = await this.db.select({ task: a2aTasks.task }).from(a2aTasks).where(where).orderBy(desc(a2aTasks.updatedAt), a2aTasks.id).limit(pageSize).offset(offset);
    const totalSize = total?.n ?? 0;
    const tasks = rows.map((row) => {
      const task = Task.fromJSON(row.task);
      if (!params.includeArtifacts) task.artifacts = [];
      if (params.historyLength !== undefined) task.history = params.historyLength > 0 ? task.history.slice(-params.historyLength) : [];
      return task;
    });
    return { tasks, nextPageToken: offset + rows.length < totalSize ? String(offset + rows.length) : "", pageSize, totalSize };
  }
}
