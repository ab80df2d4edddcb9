import type { AggregatedDiscoveryVersion } from "./aggregated.js";

export type DiscoveryNegotiation = { aggregated: true; version: AggregatedDiscoveryVersion; contentType: string } | { aggregated: false; contentType: "application/json" };

/** Picks aggregated discovery when the Accept header asks for it (kubectl lists v2, then v2beta1), in the client's order. */
export function negotiateDiscovery(acceptHeader: string | undefined): DiscoveryNegotiation {
  for (const mediaRange of (acceptHeader ?? "").split(",")) {
    const [type, ...rawParams] = mediaRange.split(";").map((part) => part.trim());
    if (type !== "application/json") continue;
    const params = new Map(rawParams.map((p) => p.split("=").map((s) => s.trim()) as [string, string]));
    const version = params.get("v");
    if (params.get("as") !== "APIGroupDiscoveryList" || params.get("g") !== "apidiscovery.k8s.io") continue;
    if (version === "v2" || version === "v2beta1") {
      return {
        aggregated: true,
        version,
        contentType: `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`,
      };
    }
  }
  return { aggregated: false, contentType: "application/json" };
}
