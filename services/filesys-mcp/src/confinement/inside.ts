import { sep } from "node:path";

/** Whether `candidate` (a real, absolute path) is `rootReal` or below it. */
export function isInside(rootReal: string, candidate: string): boolean {
  if (candidate === rootReal) return true;
  const prefix = rootReal.endsWith(sep) ? rootReal : rootReal + sep;
  return candidate.startsWith(prefix);
}
