export { aggregatedDiscovery, type AggregatedDiscoveryVersion } from "./aggregated.js";
export { apiGroupList, apiResourceList, legacyApiVersions } from "./legacy.js";
export { negotiateDiscovery, type DiscoveryNegotiation } from "./negotiate.js";
export { versionInfo } from "./version-info.js";
