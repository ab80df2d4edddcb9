export interface TokenCount {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export function zeroUsage(): TokenCount {
  return { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
}

export function addUsage(a: TokenCount, b: TokenCount): TokenCount {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}

/** From the wire's snake_case usage; total falls back to prompt + completion. */
export function usageFromWire(raw: unknown): TokenCount {
  const u = (raw ?? {}) as Record<string, unknown>;
  const count = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.trunc(v) : 0);
  const promptTokens = count(u["prompt_tokens"]);
  const completionTokens = count(u["completion_tokens"]);
  const total = count(u["total_tokens"]);
  return { promptTokens, completionTokens, totalTokens: total || promptTokens + completionTokens };
}
