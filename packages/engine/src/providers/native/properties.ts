import { coerceProperties } from "../properties.js";

/** Chat-completion keys with no meaning outside OpenAI's API; dropped rather than rejected by the vendor. */
const OPENAI_ONLY = new Set(["n", "logprobs", "top_logprobs", "parallel_tool_calls", "store", "service_tier", "reasoning_effort", "logit_bias", "user"]);

/**
 * Model and call properties (OpenAI names, coerced as for OpenAI) → the vendor's names: `renames` maps an OpenAI key
 * to the vendor's (`null` drops it); keys neither renamed nor OpenAI-only pass through as vendor extensions.
 */
export function vendorProperties(properties: Record<string, string>, renames: Readonly<Record<string, string | null>>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(coerceProperties(properties, where))) {
    const target = key in renames ? renames[key] : OPENAI_ONLY.has(key) ? null : key;
    if (target === null || target === undefined) continue;
    out[target] = target === "stop_sequences" || target === "stopSequences" || target === "stop" ? asList(value) : value;
  }
  return out;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** A tool call's JSON arguments → the object vendors want (`{}` when empty or not an object). */
export function toolInput(args: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(args || "{}") as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
