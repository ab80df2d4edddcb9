export { aggregatedDiscovery } from "./aggregated.js";
export { apiGroupList, apiResourceList, legacyApiVersions } from "./legacy.js";
export { negotiateDiscovery } from "./negotiate.js";
export { versionInfo } from "./version-info.js";
