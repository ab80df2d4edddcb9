import { describe, expect, it, vi } from "vitest";
import { diffMergePatch, patchStatus } from "./status.js";

describe("status patches", () => {
  it("keeps only changed fields, diffing nested objects and comparing arrays whole", () => {
    const current = { phase: "running", tokenUsage: { promptTokens: 1, totalTokens: 1 }, responses: [{ content: "a" }], message: "m" };
    expect(
      diffMergePatch(current, {
        phase: "running",
        tokenUsage: { promptTokens: 1, totalTokens: 3 },
        responses: [{ content: "a" }],
        message: null,
        duration: null,
      }),
    ).toEqual({ tokenUsage: { totalTokens: 3 }, message: null });
    expect(diffMergePatch(current, { phase: "running", responses: [{ content: "a" }] })).toBeUndefined();
    expect(diffMergePatch(undefined, { phase: "pending" })).toEqual({ phase: "pending" });
  });

  it("skips the write when nothing changed", async () => {
    const client = { patchStatus: vi.fn(async () => ({ apiVersion: "v", kind: "K", metadata: {}, spec: {} })) };
    const obj = { apiVersion: "v", kind: "K", metadata: { namespace: "ns", name: "q" }, spec: {}, status: { phase: "done" } as { phase?: string; message?: string } };
    expect(await patchStatus(client, obj, { phase: "done" })).toBeUndefined();
    expect(client.patchStatus).not.toHaveBeenCalled();
    await patchStatus(client, obj, { phase: "error", message: "boom" });
    expect(client.patchStatus).toHaveBeenCalledWith("ns", "q", { phase: "error", message: "boom" });
  });
});
