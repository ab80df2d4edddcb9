import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import type { Workspace } from "../confinement/workspace.js";

export interface Limits {
  maxReadBytes: number;
  maxWriteBytes: number;
}

interface ToolRunContext {
  ws: Workspace;
  limits: Limits;
}

/** One MCP tool: its schema, honest annotations, and a function from arguments to the text result. */
export interface FileTool<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  inputSchema: S;
  annotations: ToolAnnotations;
  run(args: z.output<z.ZodObject<S>>, ctx: ToolRunContext): Promise<string>;
}

export function defineTool<S extends z.ZodRawShape>(tool: FileTool<S>): FileTool<S> {
  return tool;
}

export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, idempotentHint: true, openWorldHint: false };

export const PATH_HELP = "Relative to the allowed root, with / as separator (e.g. 'notes/todo.md'); '.' is the root.";
