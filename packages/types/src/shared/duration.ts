import { z } from "zod";

// Go time.ParseDuration syntax; a sign is accepted so admission can say "cannot be negative".
const DURATION_PATTERN = /^[-+]?(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$/;

export const Duration = z.string().regex(DURATION_PATTERN).describe("Go duration, e.g. 300ms, 30s, 5m, 1h30m, 1.5h.");
export type Duration = z.output<typeof Duration>;

const MS_PER_UNIT: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

export function isDuration(s: string): boolean {
  return DURATION_PATTERN.test(s);
}

/** Milliseconds of a Go duration string; throws on anything ParseDuration would reject. */
export function parseDuration(s: string): number {
  if (!DURATION_PATTERN.test(s)) throw new Error(`invalid duration "${s}"`);
  const sign = s.startsWith("-") ? -1 : 1;
  const unsigned = s.replace(/^[-+]/, "");
  if (unsigned === "0") return 0;
  let total = 0;
  for (const [, amount, unit] of unsigned.matchAll(/([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(amount) * (MS_PER_UNIT[unit as string] ?? 0);
  }
  return sign * total;
}

export function formatDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(ms);
  if (rest === 0) return "0s";
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = rest / 1000;
  return `${sign}${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${Number(s.toFixed(3))}s`;
}
