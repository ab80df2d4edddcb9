const kubeVersion = /^v(\d+)(?:(alpha|beta)(\d+))?$/;
const stabilityRank: Record<string, number> = { "": 3, beta: 2, alpha: 1 };

/**
 * Kubernetes' version priority (GA > beta > alpha, higher numbers first, then anything else
 * alphabetically), so `v1alpha1` is preferred over `v1prealpha1` as on a real cluster.
 */
export function compareVersionPriority(a: string, b: string): number {
  const ma = kubeVersion.exec(a);
  const mb = kubeVersion.exec(b);
  if (ma === null || mb === null) {
    if (ma !== null) return -1;
    if (mb !== null) return 1;
    return a.localeCompare(b);
  }
  const stability = (stabilityRank[mb[2] ?? ""] ?? 0) - (stabilityRank[ma[2] ?? ""] ?? 0);
  if (stability !== 0) return stability;
  const major = Number(mb[1]) - Number(ma[1]);
  if (major !== 0) return major;
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

/** Groups (in first-seen order) with their versions sorted by priority; the first version is preferred. */
export function groupVersions(groups: Iterable<{ group: string; version: string }>): Map<string, string[]> {
  const byGroup = new Map<string, string[]>();
  for (const { group, version } of groups) {
    const versions = byGroup.get(group) ?? [];
    if (!versions.includes(version)) versions.push(version);
    byGroup.set(group, versions);
  }
  for (const versions of byGroup.values()) versions.sort(compareVersionPriority);
  return byGroup;
}
