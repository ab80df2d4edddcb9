import { z } from "zod";

export const TokenUsage = z
  .object({
    promptTokens: z.int().min(0).optional(),
    completionTokens: z.int().min(0).optional(),
    totalTokens: z.int().min(0).optional(),
  })
  .describe("Tokens used by LLM calls, each call counted once.");
export type TokenUsage = z.output<typeof TokenUsage>;
