// e2e/bench is not a package: workspace modules come through the controller's bench kit (it resolves them).
export * from "../../services/ark-controller/src/test-support/bench-kit.js";
