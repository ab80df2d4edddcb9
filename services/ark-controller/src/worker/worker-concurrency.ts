import { readFileSync } from "node:fs";
import { getHeapStatistics } from "node:v8";

/** What a worker process can hold, read at start. */
export interface WorkerLimits {
  /** V8's heap limit (bytes). */
  heapLimitBytes: number;
  /** The container's (cgroup) memory limit in bytes, when there is one. */
  memoryLimitBytes?: number;
  /** The soft limit on open files, when known. */
  openFiles?: number;
}

/**
 * Heap one query in flight may take: measured ≈ 110 KB at 2,000 in flight (e2e/bench/REPORT.md); this leaves room
 * for long conversations and tool results.
 */
const HEAP_PER_QUERY = 512 * 1024;
/** Of the heap, what queries in flight may take (the rest: caches, informers, buffers). */
const HEAP_SHARE = 0.5;
/** Descriptors one query in flight may hold: its model connection and a tool or MCP connection. */
const FILES_PER_QUERY = 2;
/** Descriptors kept for everything else (the bus, the API, listeners, logs). */
const FILES_RESERVED = 256;
const MAX_CONCURRENCY = 10_000;

/**
 * `WORKER_CONCURRENCY=auto` (the default): as many queries at once as this process can hold — LLM work is waiting,
 * not CPU, so the bound is memory and file descriptors, not cores. A Model's own limits
 * (spec.limits) are enforced per call on top of this.
 */
export function autoWorkerConcurrency(limits: WorkerLimits = readWorkerLimits()): { concurrency: number; boundBy: "memory" | "open files" | "maximum" } {
  const heap = Math.min(limits.heapLimitBytes, limits.memoryLimitBytes ?? Number.POSITIVE_INFINITY);
  const byMemory = Math.floor((heap * HEAP_SHARE) / HEAP_PER_QUERY);
  const byFiles = limits.openFiles === undefined ? Number.POSITIVE_INFINITY : Math.floor((limits.openFiles - FILES_RESERVED) / FILES_PER_QUERY);
  const concurrency = Math.max(1, Math.min(byMemory, byFiles, MAX_CONCURRENCY));
  const boundBy = concurrency === MAX_CONCURRENCY ? "maximum" : byFiles < byMemory ? "open files" : "memory";
  return { concurrency, boundBy };
}

function readWorkerLimits(): WorkerLimits {
  const constrained = typeof process.constrainedMemory === "function" ? process.constrainedMemory() : 0;
  const openFiles = readOpenFilesLimit();
  return {
    heapLimitBytes: getHeapStatistics().heap_size_limit,
    // 0, or a huge number, when there is no limit.
    ...(constrained > 0 && constrained < Number.MAX_SAFE_INTEGER ? { memoryLimitBytes: constrained } : {}),
    ...(openFiles !== undefined ? { openFiles } : {}),
  };
}

/** The soft RLIMIT_NOFILE from /proc/self/limits (Linux); undefined elsewhere or when unlimited. */
function readOpenFilesLimit(): number | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : undefined;
  } catch {
    return undefined;
  }
}
