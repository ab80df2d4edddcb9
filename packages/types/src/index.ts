export * from "./kinds/definition.js";
export * from "./events/index.js";
export * from "./crd/index.js";
