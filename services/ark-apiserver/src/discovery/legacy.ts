import { groupVersion, type ResourceType } from "../resource-type.js";
import { groupVersions } from "./version-order.js";
import { STATUS_VERBS } from "../resources/verbs.js";

/** `GET /api`: the core group's versions. */
export function legacyApiVersions(): Record<string, unknown> {
  return { kind: "APIVersions", versions: ["v1"] };
}

/** `GET /apis`: every named group (not the core group) with its versions, preferred first. */
export function apiGroupList(resources: readonly ResourceType[]): Record<string, unknown> {
  const groups = [...groupVersions(resources.filter((r) => r.group !== ""))].map(([name, versions]) => {
    const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions: entries, preferredVersion: entries[0] };
  });
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

/** `GET /api/v1` or `GET /apis/<group>/<version>`; undefined when nothing is served there. */
export function apiResourceList(resources: readonly ResourceType[], gv: string): Record<string, unknown> | undefined {
  const served = resources.filter((r) => groupVersion(r) === gv);
  if (served.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: gv,
    resources: served.flatMap((r) => [
      {
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
        ...(r.shortNames.length > 0 ? { shortNames: r.shortNames } : {}),
        ...(r.categories && r.categories.length > 0 ? { categories: r.categories } : {}),
      },
      ...(r.statusSubresource ? [{ name: `${r.plural}/status`, singularName: "", namespaced: r.namespaced, kind: r.kind, verbs: STATUS_VERBS }] : []),
      ...(r.extraSubresources ?? []).map((s) => ({
        name: `${r.plural}/${s.name}`,
        singularName: "",
        namespaced: r.namespaced,
        group: s.responseKind.group,
        version: s.responseKind.version,
        kind: s.responseKind.kind,
        verbs: s.verbs,
      })),
    ]),
  };
}
