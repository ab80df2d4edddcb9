import { z } from "zod";

/** A string env var parsed by `parse`, which returns undefined when the value is invalid. */
function envValue<T>(expected: string, parse: (raw: string) => T | undefined) {
  return z.string().transform((raw, ctx): T => {
    const value = parse(raw.trim());
    if (value === undefined) {
      ctx.addIssue({ code: "custom", message: `expected ${expected}` });
      return z.NEVER;
    }
    return value;
  });
}

export function envInt({ min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {}) {
  const range = min === Number.MIN_SAFE_INTEGER && max === Number.MAX_SAFE_INTEGER;
  return envValue(range ? "an integer" : `an integer between ${min} and ${max}`, (raw) => {
    if (!/^-?\d+$/.test(raw)) return undefined;
    const n = Number(raw);
    return n >= min && n <= max ? n : undefined;
  });
}

/** A TCP port; 0 asks the OS for a free one. */
export function envPort() {
  return envInt({ min: 0, max: 65535 });
}

const booleans: Record<string, boolean> = { true: true, "1": true, false: false, "0": false };

export function envBoolean() {
  return envValue(`one of "true", "false", "1", "0"`, (raw) => booleans[raw.toLowerCase()]);
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration in milliseconds: `250`, `250ms`, `10s`, `5m`, `1h`. */
export function envDuration() {
  return envValue(`a duration such as 500, 500ms, 10s, 5m or 1h`, (raw) => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw);
    if (!match) return undefined;
    return Math.round(Number(match[1]) * (durationUnits[match[2] ?? "ms"] ?? 1));
  });
}

/** An absolute URL, kept as a string; `protocols` like `["http:", "https:"]`. */
export function envUrl({ protocols }: { protocols?: string[] } = {}) {
  const expected = protocols ? `a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}` : "a URL";
  return envValue(expected, (raw) => {
    if (!URL.canParse(raw)) return undefined;
    return !protocols || protocols.includes(new URL(raw).protocol) ? raw : undefined;
  });
}

/** A separated list (comma by default); blanks are dropped. */
export function envList({ separator = "," }: { separator?: string } = {}) {
  return z.string().transform((raw) =>
    raw
      .split(separator)
      .map((item) => item.trim())
      .filter(Boolean),
  );
}

export function envEnum<const T extends readonly [string, ...string[]]>(values: T) {
  const allowed = new Set<string>(values);
  return envValue(`one of ${values.join(", ")}`, (raw) => (allowed.has(raw) ? (raw as T[number]) : undefined));
}
