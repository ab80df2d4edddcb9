import { describe, expect, it } from "vitest";
import { isEngineError } from "../errors.js";
import { builtinTool, noopTool, terminateTool } from "./builtin.js";
import { ToolRegistry } from "./registry.js";

const context = { toolCallId: "c1", agent: "default/a" };

describe("built-in tools", () => {
  it("noop echoes its arguments as Go prints them, and map[] for invalid JSON", async () => {
    expect(await noopTool.execute('{"message":"hi"}', context)).toEqual({ content: "map[message:hi]" });
    expect(await noopTool.execute("not json", context)).toEqual({ content: "map[]" });
  });

  it("terminate answers with its response and asks to stop; without one it fails", async () => {
    expect(await terminateTool.execute('{"response":"bye"}', context)).toEqual({ content: "bye", terminate: true });
    await expect(terminateTool.execute("{}", context)).rejects.toThrow(/no response/);
  });

  it("rejects an unknown built-in with the upstream message", () => {
    expect(builtinTool("noop")).toBe(noopTool);
    try {
      builtinTool("teleport");
      expect.unreachable();
    } catch (error) {
      expect(isEngineError(error, "CONFIG_ERROR")).toBe(true);
      expect((error as Error).message).toBe("unsupported built-in tool teleport");
    }
  });

  it("keeps the registry in spec order, a later tool replacing one of the same name", () => {
    const registry = new ToolRegistry([terminateTool, noopTool, terminateTool]);
    expect(registry.definitions().map((d) => d.function.name)).toEqual(["terminate", "noop"]);
  });
});
