import type { ToolDefinition } from "../messages.js";
import { type Tool, toolName } from "./tool.js";

/** The tools of one agent, in the order of `spec.tools` (a later tool of the same name replaces an earlier one). */
export class ToolRegistry {
  private readonly tools = new Map<string, Tool>();

  constructor(tools: Iterable<Tool> = []) {
    for (const tool of tools) this.register(tool);
  }

  register(tool: Tool): this {
    this.tools.set(toolName(tool), tool);
    return this;
  }

  /** A copy with `tool` added (replacing one of the same name). */
  with(tool: Tool): ToolRegistry {
    return new ToolRegistry([...this.tools.values(), tool]);
  }

  get(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  get size(): number {
    return this.tools.size;
  }

  definitions(): ToolDefinition[] {
    return [...this.tools.values()].map((tool) => tool.definition);
  }
}
