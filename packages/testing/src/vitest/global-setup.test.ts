import type { TestProject } from "vitest/node";
import { describe, expect, it, vi } from "vitest";
import type { TestServicesContext } from "../services/test-services.js";
import { testServices } from "./index.js";

const startTestServices = vi.hoisted(() => vi.fn());
vi.mock("../services/test-services.js", () => ({ startTestServices }));

const { default: setup } = await import("./global-setup.js");

function fakeProject(): { project: TestProject; provided: Map<string, unknown> } {
  const provided = new Map<string, unknown>();
  const project = { provide: (key: string, value: unknown) => provided.set(key, value) } as unknown as TestProject;
  return { project, provided };
}

describe("global setup", () => {
  it("starts the services once for all projects and stops them after the last teardown", async () => {
    const context: TestServicesContext = { postgres: null, nats: null, required: false, runId: "abc123" };
    const stop = vi.fn(async () => {});
    startTestServices.mockResolvedValue({ context, summary: "[@ark/testing] test summary", stop });
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const a = fakeProject();
      const b = fakeProject();
      const root = fakeProject();
      const teardowns = [await setup(a.project), await setup(b.project), await setup(root.project)];
      expect(startTestServices).toHaveBeenCalledTimes(1);
      expect(log.mock.calls.filter(([line]) => line === "[@ark/testing] test summary")).toHaveLength(1);
      for (const { provided } of [a, b, root]) expect(provided.get("arkTestServices")).toBe(context);

      await teardowns[0]!();
      await teardowns[0]!();
      await teardowns[2]!();
      expect(stop).not.toHaveBeenCalled();
      await teardowns[1]!();
      expect(stop).toHaveBeenCalledTimes(1);

      // A later run in the same process (watch mode restart) starts afresh.
      const again = await setup(fakeProject().project);
      expect(startTestServices).toHaveBeenCalledTimes(2);
      await again();
    } finally {
      log.mockRestore();
    }
  });

  it("hands the run's services to tests through inject", () => {
    const services = testServices();
    expect(services.runId).toMatch(/^[0-9a-f]{6}$/);
    expect(services.required).toBe(["1", "true", "yes"].includes(process.env.REQUIRE_SERVICES ?? ""));
  });
});
