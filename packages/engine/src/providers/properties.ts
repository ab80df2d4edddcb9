import { EngineError } from "../errors.js";

// docs/upstream-compat.md §8.1: which chat-completion keys are numbers, integers, booleans or plain strings.
const NUMBER_KEYS = new Set(["temperature", "top_p", "frequency_penalty", "presence_penalty"]);
const INTEGER_KEYS = new Set(["max_tokens", "max_completion_tokens", "seed", "n", "top_logprobs"]);
const BOOLEAN_KEYS = new Set(["logprobs", "parallel_tool_calls", "store"]);
const STRING_KEYS = new Set(["user", "service_tier", "reasoning_effort"]);
// The engine owns these; a property cannot replace them.
const RESERVED_KEYS = new Set(["model", "messages", "tools", "stream", "stream_options", "response_format"]);

/** Sent unless a property of the same name says otherwise (docs/upstream-compat.md §8.1). */
export const DEFAULT_REQUEST_PROPERTIES: Readonly<Record<string, unknown>> = { temperature: 1, n: 1 };

/** Model properties (strings from ValueSources) → typed request fields; empty values are skipped. */
export function coerceProperties(properties: Record<string, string>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(properties)) {
    if (raw === "" || RESERVED_KEYS.has(key)) continue;
    out[key] = coerceProperty(key, raw.trim(), where);
  }
  return out;
}

function coerceProperty(key: string, raw: string, where: string): unknown {
  const bad = (expected: string): EngineError => new EngineError("CONFIG_ERROR", `${where}: property ${key} must be ${expected}, got ${JSON.stringify(raw)}`);
  if (NUMBER_KEYS.has(key)) {
    const value = Number(raw);
    if (!Number.isFinite(value)) throw bad("a number");
    return value;
  }
  if (INTEGER_KEYS.has(key)) {
    const value = Number(raw);
    if (!Number.isInteger(value)) throw bad("an integer");
    return value;
  }
  if (BOOLEAN_KEYS.has(key)) {
    if (raw !== "true" && raw !== "false") throw bad("true or false");
    return raw === "true";
  }
  if (STRING_KEYS.has(key)) return raw;
  if (key === "stop") return raw.startsWith("[") ? (parseJson(raw) ?? raw) : raw;
  return coerceUnknown(raw);
}

// Keys we do not know (provider extensions): JSON objects/arrays, booleans and numbers are taken as such.
function coerceUnknown(raw: string): unknown {
  if (raw.startsWith("{") || raw.startsWith("[")) return parseJson(raw) ?? raw;
  if (raw === "true" || raw === "false") return raw === "true";
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw)) return Number(raw);
  return raw;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
