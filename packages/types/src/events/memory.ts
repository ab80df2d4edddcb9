import { z } from "zod";
import { eventBase } from "./common.js";

const memoryAccess = {
  ...eventBase,
  memory: z.string().describe("The Memory resource (namespace/name)."),
  sessionId: z.string(),
  messageCount: z.int().min(0),
};

export const MemoryReadEvent = z.object({ ...memoryAccess, type: z.literal("memory.read") });
export type MemoryReadEvent = z.output<typeof MemoryReadEvent>;

export const MemoryWrittenEvent = z.object({ ...memoryAccess, type: z.literal("memory.written") });
export type MemoryWrittenEvent = z.output<typeof MemoryWrittenEvent>;
