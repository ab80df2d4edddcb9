import { describe, expect, it } from "vitest";
import { parseTarget } from "./query-target.js";

describe("parseTarget", () => {
  it("reads type/name, a bare name being an agent", () => {
    expect(parseTarget("agent/weather")).toEqual({ type: "agent", name: "weather" });
    expect(parseTarget("team/crew")).toEqual({ type: "team", name: "crew" });
    expect(parseTarget("model/gpt")).toEqual({ type: "model", name: "gpt" });
    expect(parseTarget("weather")).toEqual({ type: "agent", name: "weather" });
  });

  it("explains a bad type or a missing name", () => {
    expect(() => parseTarget("tool/x")).toThrow('target "tool/x": the type must be one of agent, team, model (e.g. agent/x)');
    expect(() => parseTarget("agent/")).toThrow('a name is needed after "agent/"');
  });
});
