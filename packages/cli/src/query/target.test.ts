import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { parseTarget } from "./target.js";

describe("parseTarget", () => {
  it("splits type/name", () => {
    expect(parseTarget("agent/weather")).toEqual({ type: "agent", name: "weather" });
    expect(parseTarget("Team/research-team")).toEqual({ type: "team", name: "research-team" });
  });

  it.each(["weather", "robot/x", "agent/", "agent/Bad_Name"])("rejects %s", (text) => {
    expect(() => parseTarget(text)).toThrow(UsageError);
  });
});
