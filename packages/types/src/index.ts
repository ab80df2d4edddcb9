export * from "./kinds/definition.js";
export * from "./events/index.js";
