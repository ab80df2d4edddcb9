/** rbac.authorization.k8s.io/v1 PolicyRule: what a Role or ClusterRole allows. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** What a request does, as Kubernetes' authorizer.Attributes. */
export type RequestAttributes =
  | {
      resourceRequest: true;
      verb: string;
      apiGroup: string;
      apiVersion: string;
      resource: string;
      /** "" when none. */
      subresource: string;
      /** "" for cluster-scoped requests (and lists across namespaces). */
      namespace: string;
      /** "" for collections. */
      name: string;
    }
  | { resourceRequest: false; verb: string; path: string };

const ALL = "*";

const has = (list: readonly string[] | undefined, value: string) => (list ?? []).some((item) => item === ALL || item === value);

/** Whether `rule` allows the request (Kubernetes' RuleAllows: verbs, groups, resources incl. "* /sub", names, URLs). */
export function ruleAllows(rule: PolicyRule, attrs: RequestAttributes): boolean {
  if (!has(rule.verbs, attrs.verb)) return false;
  if (!attrs.resourceRequest) return nonResourceUrlMatches(rule.nonResourceURLs, attrs.path);
  if (!has(rule.apiGroups, attrs.apiGroup)) return false;
  const combined = attrs.subresource === "" ? attrs.resource : `${attrs.resource}/${attrs.subresource}`;
  if (!resourceMatches(rule.resources, combined, attrs.subresource)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(attrs.name);
}

function resourceMatches(resources: readonly string[] | undefined, combined: string, subresource: string): boolean {
  return (resources ?? []).some((r) => r === ALL || r === combined || (subresource !== "" && r === `*/${subresource}`));
}

function nonResourceUrlMatches(urls: readonly string[] | undefined, path: string): boolean {
  return (urls ?? []).some((url) => url === ALL || url === path || (url.endsWith("*") && path.startsWith(url.slice(0, -1))));
}

/**
 * Whether `owner` rules grant everything `servant` rules do (Kubernetes' escalation check, `Covers`): each
 * servant rule is broken into single verb/group/resource/name grants, and each must be allowed by an owner rule.
 */
export function uncoveredRules(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const rule of servant) {
    for (const atom of atomsOf(rule)) if (!owner.some((o) => ownerCovers(o, atom))) missing.push(atom);
  }
  return missing;
}

function atomsOf(rule: PolicyRule): PolicyRule[] {
  const atoms: PolicyRule[] = [];
  for (const verb of rule.verbs) {
    for (const url of rule.nonResourceURLs ?? []) atoms.push({ verbs: [verb], nonResourceURLs: [url] });
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) atoms.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
        for (const name of names) atoms.push({ verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name] });
      }
    }
  }
  return atoms;
}

/** An owner rule covers a single grant when it allows at least as much (a "*" in the grant needs a "*" in the owner). */
function ownerCovers(owner: PolicyRule, atom: PolicyRule): boolean {
  const verb = atom.verbs[0]!;
  if (!(owner.verbs.includes(ALL) || owner.verbs.includes(verb))) return false;
  if (atom.nonResourceURLs) {
    const url = atom.nonResourceURLs[0]!;
    return (owner.nonResourceURLs ?? []).some((o) => o === ALL || o === url || (o.endsWith("*") && url.startsWith(o.slice(0, -1))));
  }
  const group = atom.apiGroups![0]!;
  if (!(owner.apiGroups ?? []).some((g) => g === ALL || g === group)) return false;
  const resource = atom.resources![0]!;
  const slash = resource.indexOf("/");
  const subresource = slash >= 0 ? resource.slice(slash + 1) : "";
  const resourceCovered = (owner.resources ?? []).some((r) => r === ALL || r === resource || (subresource !== "" && subresource !== ALL && r === `*/${subresource}`));
  if (!resourceCovered) return false;
  const ownerNames = owner.resourceNames ?? [];
  if (ownerNames.length === 0) return true;
  const name = atom.resourceNames?.[0];
  return name !== undefined && ownerNames.includes(name);
}

/** The rules of a stored Role/ClusterRole, tolerating malformed entries. */
export function rulesOf(object: { [field: string]: unknown }): PolicyRule[] {
  if (!Array.isArray(object.rules)) return [];
  return object.rules.filter((r): r is PolicyRule => typeof r === "object" && r !== null && Array.isArray((r as PolicyRule).verbs));
}
