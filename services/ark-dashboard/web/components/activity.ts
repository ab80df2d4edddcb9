/** Queries and tokens per time bucket, for the overview's charts. */
export interface QueryActivityItem {
  creationTimestamp?: string;
  status?: { tokenUsage?: { totalTokens?: number } };
}

export interface ActivityBucket {
  /** Start of the bucket (ms since the epoch). */
  start: number;
  queries: number;
  tokens: number;
}

const MINUTE = 60_000;
const STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 60 * MINUTE, 6 * 60 * MINUTE, 24 * 60 * MINUTE];

/**
 * Spreads queries over at most `maxBuckets` equal buckets ending at `now`: the smallest step of
 * 1 min, 5 min, 15 min, 1 h, 6 h, 1 day that covers the oldest query (older ones fall out past 1 day × maxBuckets).
 */
export function queryActivity(items: readonly QueryActivityItem[], now: number, maxBuckets = 24): ActivityBucket[] {
  const times = items.map((item) => Date.parse(item.creationTimestamp ?? "")).filter((t) => Number.isFinite(t) && t <= now);
  const oldest = times.length ? Math.min(...times) : now;
  const step = STEPS.find((s) => now - oldest < s * maxBuckets) ?? STEPS[STEPS.length - 1]!;
  const end = Math.floor(now / step) * step + step;
  const first = end - step * maxBuckets;
  const buckets: ActivityBucket[] = Array.from({ length: maxBuckets }, (_, i) => ({ start: first + i * step, queries: 0, tokens: 0 }));
  items.forEach((item) => {
    const t = Date.parse(item.creationTimestamp ?? "");
    if (!Number.isFinite(t) || t < first || t >= end) return;
    const bucket = buckets[Math.floor((t - first) / step)]!;
    bucket.queries += 1;
    bucket.tokens += item.status?.tokenUsage?.totalTokens ?? 0;
  });
  return buckets;
}

/** The label of a bucket's start: the time of day for steps under a day, else the date. */
export function bucketLabel(start: number, step: number): string {
  const date = new Date(start);
  return step >= 24 * 60 * MINUTE ? date.toLocaleDateString(undefined, { month: "short", day: "numeric" }) : date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}
