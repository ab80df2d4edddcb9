export interface BackoffOptions {
  /** Delay after the first failure. */
  baseMs?: number;
  /** Cap on the delay. */
  maxMs?: number;
}

/** base · 2^(failures−1), capped at max: the delay before the retry that follows the n-th consecutive failure. */
export function backoffDelay(failures: number, { baseMs = 100, maxMs = 60_000 }: BackoffOptions = {}): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 52));
}
