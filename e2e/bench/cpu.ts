// CPU time the stack spends per query, read from /proc (Linux): on a machine shared with other work,
// wall-clock throughput swings with the load, CPU per query much less.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Process ids per part of the stack, looked up at each sample (pool connections come and go). */
export type CpuGroups = () => Record<string, number[]>;

const TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  } catch {
    return 10;
  }
})();

function stat(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command (which may hold spaces) start at state: ppid is the 2nd, utime..cstime the 12th-15th.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    return { ppid: Number(fields[1]), ticks };
  } catch {
    return undefined;
  }
}

const pids = (): number[] =>
  readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);

/** The process and every process below it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of pids()) {
    const ppid = stat(pid)?.ppid;
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree: number[] = [];
  for (const queue = [root]; queue.length > 0;) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** PostgreSQL backends serving one database (their process title is `postgres: user database host state`). */
export function postgresBackends(database: string): number[] {
  return pids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("postgres: ") && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(` ${database} `);
    } catch {
      return false;
    }
  });
}

/** The process's command name (/proc/<pid>/comm), or undefined once it is gone. */
export function commandName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Processes whose command name is `name`, e.g. the machine's nats-server. */
export function processesNamed(name: string): number[] {
  return pids().filter((pid) => commandName(pid) === name);
}

function sample(groups: Record<string, number[]>): Map<string, Map<number, number>> {
  return new Map(Object.entries(groups).map(([group, ids]) => [group, new Map(ids.map((pid) => [pid, stat(pid)?.ticks ?? 0]))]));
}

/** Starts counting; the returned function gives the CPU ms each group used since. */
export function startCpuCount(groups: CpuGroups): () => Record<string, number> {
  if (process.platform !== "linux") return () => ({});
  const before = sample(groups());
  return () => {
    const after = sample(groups());
    const used: Record<string, number> = {};
    for (const [group, now] of after) {
      let ticks = 0;
      for (const [pid, t] of now) ticks += t - (before.get(group)?.get(pid) ?? 0);
      used[group] = Math.round(ticks * TICK_MS);
    }
    return used;
  };
}
