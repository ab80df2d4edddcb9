import { UsageError } from "../errors.js";

const TARGET_TYPES = ["agent", "team", "model", "tool"] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

/** `agent/weather` → { type: "agent", name: "weather" }. */
export function parseTarget(text: string): { type: TargetType; name: string } {
  const match = /^([a-z]+)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/i.exec(text);
  const type = match?.[1]?.toLowerCase();
  if (!match || !type || !(TARGET_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`target must be <${TARGET_TYPES.join("|")}>/<name>, got "${text}"`);
  }
  return { type: type as TargetType, name: match[2]! };
}
