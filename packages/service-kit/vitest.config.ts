import { defineProject } from "vitest/config";
import { sharedProjectConfig } from "../../vitest.shared.js";

// Without the "module" condition: @opentelemetry/api's "module" build has extensionless imports Node cannot load.
const conditions = sharedProjectConfig.resolve.conditions.filter((c) => c !== "module");

export default defineProject({
  ...sharedProjectConfig,
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: { ...sharedProjectConfig.test, name: "@ark/service-kit" },
});
