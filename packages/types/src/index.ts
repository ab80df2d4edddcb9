export * from "./kinds/definition.js";
