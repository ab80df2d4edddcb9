import type { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it, vi } from "vitest";
import type { AnyArkObject } from "../dto/index.js";
import { QueryFinishWatch } from "./query-finish-watch.js";

type Callback = (phase: string, obj: unknown) => void;

/** A watch the test drives: each call is one open watch, fed events by hand and ended by hand. */
function fakeWatch() {
  const calls: { params: Record<string, unknown>; emit: Callback; end: (err: unknown) => void; controller: AbortController }[] = [];
  return {
    calls,
    watch: async (_path: string, params: Record<string, unknown>, emit: Callback, end: (err: unknown) => void) => {
      const controller = new AbortController();
      // As client-node's watch does: aborting it ends it.
      controller.signal.addEventListener("abort", () => end(new Error("aborted")));
      calls.push({ params, emit, end, controller });
      return controller;
    },
  };
}

const query = (name: string, uid: string, rv: string, phase?: string): AnyArkObject =>
  ({ metadata: { namespace: "ns", name, uid, resourceVersion: rv }, spec: {}, status: phase ? { phase } : {} }) as unknown as AnyArkObject;

function setup(stored: Map<string, AnyArkObject>, options: { idleCloseMs?: number } = {}) {
  const watch = fakeWatch();
  const versions = ["10", "50"];
  const reads: string[] = [];
  const finish = new QueryFinishWatch({
    kubeConfig: {} as KubeConfig,
    get: async (_ns, name) => (reads.push(name), stored.get(name)),
    log: { warn: () => {} },
    watch: watch as never,
    listVersion: async () => versions.shift(),
    ...options,
  });
  return { watch, finish, reads };
}

describe("QueryFinishWatch", () => {
  it("closes its watch once no wait has come for the idle time; the next wait opens one from a fresh list, and the old one's events count for nothing", async () => {
    const stored = new Map([["before", query("before", "u2", "30", "done")]]);
    const { watch, finish, reads } = setup(stored, { idleCloseMs: 20 });
    const first = finish.wait({ namespace: "ns", name: "q", uid: "u1", resourceVersion: "11" }, new AbortController().signal);
    await vi.waitFor(() => expect(watch.calls).toHaveLength(1));
    watch.calls[0]!.emit("MODIFIED", query("q", "u1", "12", "done"));
    await first;
    await vi.waitFor(() => expect(watch.calls[0]!.controller.signal.aborted).toBe(true));
    expect(finish.watching).toBe(false);
    // Not restarted behind the caller's back.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(watch.calls).toHaveLength(1);

    // A Query created (rv 30) while no watch was open, finished by then: read once, from the fresh list on.
    expect(await finish.wait({ namespace: "ns", name: "before", uid: "u2", resourceVersion: "30" }, new AbortController().signal)).toBe(stored.get("before"));
    expect(watch.calls).toHaveLength(2);
    expect(watch.calls[1]!.params).toMatchObject({ resourceVersion: "50" });
    expect(reads).toEqual(["before"]);

    const next = finish.wait({ namespace: "ns", name: "n", uid: "u3", resourceVersion: "51" }, new AbortController().signal);
    watch.calls[0]!.emit("MODIFIED", query("n", "u3", "52", "done"));
    watch.calls[1]!.emit("MODIFIED", query("n", "u3", "53", "done"));
    expect((await next)?.metadata.resourceVersion).toBe("53");
    finish.close();
  });

  it("keeps its watch while waits keep coming", async () => {
    const { watch, finish } = setup(new Map(), { idleCloseMs: 50 });
    for (let i = 0; i < 4; i++) {
      const waiting = finish.wait({ namespace: "ns", name: `q${i}`, uid: `u${i}`, resourceVersion: "11" }, new AbortController().signal);
      await vi.waitFor(() => expect(watch.calls).toHaveLength(1));
      watch.calls[0]!.emit("MODIFIED", query(`q${i}`, `u${i}`, String(12 + i), "done"));
      await waiting;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(watch.calls[0]!.controller.signal.aborted).toBe(false);
    expect(finish.watching).toBe(true);
    finish.close();
  });

  it("answers a wait from the watch event that finishes the Query, not from earlier phases, without reading a Query created after the watch began", async () => {
    const { watch, finish, reads } = setup(new Map());
    const waiting = finish.wait({ namespace: "ns", name: "q", uid: "u1", resourceVersion: "11" }, new AbortController().signal);
    await vi.waitFor(() => expect(watch.calls).toHaveLength(1));
    expect(watch.calls[0]!.params).toMatchObject({ resourceVersion: "10" });
    watch.calls[0]!.emit("MODIFIED", query("q", "u1", "12", "running"));
    watch.calls[0]!.emit("MODIFIED", query("other", "u2", "13", "done"));
    watch.calls[0]!.emit("MODIFIED", query("q", "u1", "14", "done"));
    expect((await waiting)?.metadata.resourceVersion).toBe("14");
    expect(reads).toEqual([]);
    finish.close();
  });

  it("reads a Query the watch may have missed: created before the watch began, or waiting when the watch restarted after 410 Gone", async () => {
    const stored = new Map([["old", query("old", "u0", "5", "done")]]);
    const { watch, finish, reads } = setup(stored);
    expect(await finish.wait({ namespace: "ns", name: "old", uid: "u0", resourceVersion: "5" }, new AbortController().signal)).toBe(stored.get("old"));

    const waiting = finish.wait({ namespace: "ns", name: "gap", uid: "u3", resourceVersion: "20" }, new AbortController().signal);
    await vi.waitFor(() => expect(reads).toContain("old"));
    watch.calls[0]!.emit("BOOKMARK", { metadata: { resourceVersion: "30" } });
    // The history the watch needs is gone; the Query finished meanwhile.
    stored.set("gap", query("gap", "u3", "40", "error"));
    watch.calls[0]!.emit("ERROR", { kind: "Status", code: 410, message: "too old resource version" });
    expect((await waiting)?.status).toEqual({ phase: "error" });
    expect(watch.calls).toHaveLength(2);
    expect(watch.calls[1]!.params).toMatchObject({ resourceVersion: "50" });
    expect(reads).toEqual(["old", "gap"]);
    finish.close();
  });

  it("resumes a watch the server ended where it left off, answers undefined for a deleted or replaced Query, and the Query as it is when the wait is given up", async () => {
    const stored = new Map([["slow", query("slow", "u9", "61", "running")]]);
    const { watch, finish } = setup(stored);
    const deleted = finish.wait({ namespace: "ns", name: "d", uid: "u4", resourceVersion: "11" }, new AbortController().signal);
    await vi.waitFor(() => expect(watch.calls).toHaveLength(1));
    watch.calls[0]!.emit("MODIFIED", query("x", "u5", "60", "running"));
    watch.calls[0]!.end(null);
    await vi.waitFor(() => expect(watch.calls).toHaveLength(2));
    expect(watch.calls[1]!.params).toMatchObject({ resourceVersion: "60" });
    watch.calls[1]!.emit("DELETED", query("d", "u4", "62", "running"));
    expect(await deleted).toBeUndefined();

    const replaced = finish.wait({ namespace: "ns", name: "r", uid: "u6", resourceVersion: "63" }, new AbortController().signal);
    watch.calls[1]!.emit("ADDED", query("r", "u7", "64"));
    expect(await replaced).toBeUndefined();

    const giveUp = new AbortController();
    const slow = finish.wait({ namespace: "ns", name: "slow", uid: "u9", resourceVersion: "65" }, giveUp.signal);
    giveUp.abort();
    expect((await slow)?.status).toEqual({ phase: "running" });
    finish.close();
  });

  it("answers waits whose Query changed on the watch before the wait was registered (the create's answer came late) from what the watch delivered, without a read", async () => {
    const { watch, finish, reads } = setup(new Map());
    const first = finish.wait({ namespace: "ns", name: "first", uid: "u1", resourceVersion: "11" }, new AbortController().signal);
    await vi.waitFor(() => expect(watch.calls).toHaveLength(1));
    watch.calls[0]!.emit("MODIFIED", query("first", "u1", "12", "done"));
    await first;
    const emit = watch.calls[0]!.emit;
    const waitFor = (name: string, uid: string, createdAt: string) => finish.wait({ namespace: "ns", name, uid, resourceVersion: createdAt }, new AbortController().signal);
    // "fast" is created at 13 and finished at 15, all delivered before ark-api got the create's answer.
    emit("ADDED", query("fast", "u2", "13"));
    emit("MODIFIED", query("fast", "u2", "14", "running"));
    emit("MODIFIED", query("fast", "u2", "15", "done"));
    expect((await waitFor("fast", "u2", "13"))?.metadata.resourceVersion).toBe("15");
    // Deleted, and deleted then created again under the same name: the Query waited for is gone.
    emit("ADDED", query("gone", "u3", "16"));
    emit("DELETED", query("gone", "u3", "17", "running"));
    expect(await waitFor("gone", "u3", "16")).toBeUndefined();
    emit("ADDED", query("again", "u4", "18"));
    emit("DELETED", query("again", "u4", "19"));
    emit("ADDED", query("again", "u5", "20"));
    expect(await waitFor("again", "u4", "18")).toBeUndefined();
    // Running when the wait comes: it goes on waiting, and the finish answers it.
    emit("ADDED", query("slow", "u6", "21"));
    emit("MODIFIED", query("slow", "u6", "22", "running"));
    const slow = waitFor("slow", "u6", "21");
    let answered = false;
    void slow.then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    emit("MODIFIED", query("slow", "u6", "23", "done"));
    expect((await slow)?.metadata.resourceVersion).toBe("23");
    // A Query of a name done before (the earlier one's change is not after this create): waits for its own finish.
    emit("ADDED", query("fast", "u7", "24"));
    const again = waitFor("fast", "u7", "24");
    emit("MODIFIED", query("fast", "u7", "25", "done"));
    expect((await again)?.metadata).toMatchObject({ uid: "u7", resourceVersion: "25" });
    expect(reads).toEqual([]);
    finish.close();
  });

  it("reads a Query when the watch has since delivered changes of too many other Queries, or too large ones, to remember its own", async () => {
    const stored = new Map<string, AnyArkObject>();
    const { watch, finish, reads } = setup(stored);
    const first = finish.wait({ namespace: "ns", name: "first", uid: "u1", resourceVersion: "11" }, new AbortController().signal);
    await vi.waitFor(() => expect(watch.calls).toHaveLength(1));
    watch.calls[0]!.emit("MODIFIED", query("first", "u1", "12", "done"));
    await first;
    stored.set("early", query("early", "u2", "14", "done"));
    watch.calls[0]!.emit("ADDED", query("early", "u2", "13"));
    watch.calls[0]!.emit("MODIFIED", query("early", "u2", "14", "done"));
    for (let i = 0; i < 2000; i++) watch.calls[0]!.emit("MODIFIED", query(`other${i}`, `o${i}`, String(100 + i), "running"));
    expect((await finish.wait({ namespace: "ns", name: "early", uid: "u2", resourceVersion: "13" }, new AbortController().signal))?.metadata.resourceVersion).toBe("14");
    expect(reads).toEqual(["early"]);

    // Two finished Queries of 5 MB each: the record keeps one (not 10 MB), and the first is read.
    const big = (name: string, uid: string, rv: string) => ({ ...query(name, uid, rv, "done"), status: { phase: "done", response: { content: "x".repeat(5 * 1024 * 1024) } } }) as unknown as AnyArkObject;
    stored.set("big1", big("big1", "b1", "3001"));
    watch.calls[0]!.emit("ADDED", query("big1", "b1", "3000"));
    watch.calls[0]!.emit("MODIFIED", big("big1", "b1", "3001"));
    watch.calls[0]!.emit("ADDED", query("big2", "b2", "3002"));
    watch.calls[0]!.emit("MODIFIED", big("big2", "b2", "3003"));
    expect((await finish.wait({ namespace: "ns", name: "big2", uid: "b2", resourceVersion: "3002" }, new AbortController().signal))?.metadata.resourceVersion).toBe("3003");
    expect((await finish.wait({ namespace: "ns", name: "big1", uid: "b1", resourceVersion: "3000" }, new AbortController().signal))?.metadata.resourceVersion).toBe("3001");
    expect(reads).toEqual(["early", "big1"]);
    finish.close();
  });

  it("answers every one of hundreds of concurrent waits on the shared watch through finishes before and after registration, resumes and 410 Gone", async () => {
    const server = fakeApiServer();
    const finish = new QueryFinishWatch({
      kubeConfig: {} as KubeConfig,
      get: async (_ns, name) => server.stored.get(name),
      log: { warn: () => {} },
      watch: server as never,
      listVersion: async () => String(server.rv),
    });
    const waits: Promise<AnyArkObject | undefined>[] = [];
    const waitFor = (name: string, createdAt: string) => waits.push(finish.wait({ namespace: "ns", name, uid: `uid-${name}`, resourceVersion: createdAt }, new AbortController().signal));
    const unfinished: string[] = [];
    for (let i = 0; i < 300; i++) {
      const name = `q${i}`;
      const createdAt = server.write(name);
      if (i % 3 === 0) {
        server.write(name, "running");
        server.write(name, "done");
        waitFor(name, createdAt);
      } else if (i % 3 === 1) {
        waitFor(name, createdAt);
        server.write(name, "running");
        server.write(name, "done");
      } else {
        waitFor(name, createdAt);
        server.write(name, "running");
        unfinished.push(name);
      }
      if (i % 50 === 25) server.disconnect(new Error("socket hang up"));
      // Two waited Queries finish while the watch cannot resume: only a fresh list and a read find them.
      if (i === 40) server.forgetHistory(() => unfinished.splice(0, 2).forEach((name) => server.write(name, "done")));
      // The controller goes on while ark-api is connected again (what it wrote meanwhile is replayed on resume).
      if (i % 10 === 0) await vi.waitFor(() => expect(server.watching()).toBe(true));
    }
    for (const name of unfinished) server.write(name, "done");
    const answers = await Promise.all(waits);
    expect(answers.map((a) => (a?.status as { phase?: string } | undefined)?.phase)).toEqual(Array.from({ length: 300 }, () => "done"));
    finish.close();
  });
});

/** A server's Query watch with history: a watch resumes from any resourceVersion it still holds, else 410 Gone. */
function fakeApiServer() {
  const log: { phase: string; object: AnyArkObject }[] = [];
  const stored = new Map<string, AnyArkObject>();
  let open: { emit: Callback; end: (err: unknown) => void } | undefined;
  let historyFrom = 0;
  const server = {
    rv: 100,
    stored,
    watch: async (_path: string, params: Record<string, unknown>, emit: Callback, end: (err: unknown) => void) => {
      const from = Number(params.resourceVersion);
      if (from < historyFrom) emit("ERROR", { kind: "Status", code: 410, message: "too old resource version" });
      else {
        open = { emit, end };
        for (const change of log) if (Number(change.object.metadata.resourceVersion) > from) emit(change.phase, change.object);
      }
      return new AbortController();
    },
    write(name: string, phase?: string): string {
      const object = query(name, `uid-${name}`, String(++server.rv), phase);
      const change = { phase: stored.has(name) ? "MODIFIED" : "ADDED", object };
      stored.set(name, object);
      log.push(change);
      open?.emit(change.phase, change.object);
      return String(server.rv);
    },
    watching: () => open !== undefined,
    disconnect(err: unknown) {
      const ending = open;
      open = undefined;
      ending?.end(err);
    },
    /** The watch ends, `meanwhile` writes, and the history before those writes is no longer kept (a resume is 410 Gone). */
    forgetHistory(meanwhile: () => void) {
      server.disconnect(null);
      meanwhile();
      historyFrom = server.rv;
    },
  };
  return server;
}
