import type { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it, vi } from "vitest";
import type { AnyArkObject } from "../dto/index.js";
import { QueryFinishWatch } from "./query-finish-watch.js";

type Callback = (phase: string, obj: unknown) => void;

/** A watch the test drives: each call is one open watch, fed events by hand and ended by hand. */
function fakeWatch() {
  const calls: { params: Record<string, unknown>; emit: Callback; end: (err: unknown) => void }[] = [];
  return {
    calls,
    watch: async (_path: string, params: Record<string, unknown>, emit: Callback, end: (err: unknown) => void) => {
      calls.push({ params, emit, end });
      return new AbortController();
    },
  };
}

const query = (name: string, uid: string, rv: string, phase?: string): AnyArkObject =>
  ({ metadata: { namespace: "ns", name, uid, resourceVersion: rv }, spec: {}, status: phase ? { phase } : {} }) as unknown as AnyArkObject;

function setup(stored: Map<string, AnyArkObject>) {
  const watch = fakeWatch();
  const versions = ["10", "50"];
  const reads: string[] = [];
  const finish = new QueryFinishWatch({
    kubeConfig: {} as KubeConfig,
    get: async (_ns, name) => (reads.push(name), stored.get(name)),
    log: { warn: () => {} },
    watch: watch as never,
    listVersion: async () => versions.shift(),
  });
  return { watch, finish, reads };
}

describe("QueryFinishWatch", () => {
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
});
