/** Polls `check` until it holds; fails with `describe()` after `timeoutMs` (generous: the machine may be loaded). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(describe());
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
