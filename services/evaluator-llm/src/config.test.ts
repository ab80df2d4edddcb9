import { loadConfig } from "@ark/service-kit";
import { describe, expect, it } from "vitest";
import { evaluatorConfig } from "./config.js";

describe("evaluatorConfig", () => {
  it("will not start open: EVALUATOR_AUTH_SECRET is required unless EVALUATOR_AUTH=none is set", () => {
    expect(() => loadConfig(evaluatorConfig, {})).toThrow(/EVALUATOR_AUTH_SECRET/);
    expect(() => loadConfig(evaluatorConfig, { EVALUATOR_AUTH_SECRET: "short" })).toThrow(/EVALUATOR_AUTH_SECRET/);
    expect(loadConfig(evaluatorConfig, { EVALUATOR_AUTH: "none" })).toMatchObject({ PORT: 8001, HOST: "127.0.0.1", EVALUATOR_AUTH: "none" });
  });
});
