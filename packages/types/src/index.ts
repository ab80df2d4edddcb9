export * from "./kinds/definition.js";
export * from "./events/index.js";
export * from "./crd/index.js";
export * from "./kinds/index.js";
export * from "./shared/index.js";
export * from "./validate.js";
export { fieldErrorsToStatusCauses } from "./validation/status-causes.js";
export type { StatusCause, StatusCauseReason } from "./validation/status-causes.js";
export { isDns1123Subdomain } from "./validation/metadata.js";
