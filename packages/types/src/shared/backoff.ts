export interface BackoffOptions {
  /** Delay after the first failure. */
  baseMs?: number;
  /** Cap on the delay. */
  maxMs?: number;
  /**
   * Share (0–1) of the delay drawn at random, so clients that failed together do not retry together: the delay is
   * then a whole number of milliseconds between delay·(1 − jitter) and the delay. 0 (the default): no randomness.
   */
  jitter?: number;
}

/** base · 2^(failures−1), capped at max: the delay before the retry that follows the n-th consecutive failure. */
export function backoffDelay(failures: number, { baseMs = 100, maxMs = 60_000, jitter = 0 }: BackoffOptions = {}): number {
  if (failures <= 0) return 0;
  const delay = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 52));
  return jitter > 0 ? Math.round(delay * (1 - Math.min(jitter, 1) * Math.random())) : delay;
}
