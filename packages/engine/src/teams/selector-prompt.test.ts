import { describe, expect, it } from "vitest";
import type { TeamMember } from "./member.js";
import { chooseMember } from "./selector-prompt.js";

const member = (name: string): TeamMember => ({ type: "agent", name, run: async () => ({ messages: [], tokenUsage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 }, terminated: false }) });
const [planner, web, webSearch] = [member("planner"), member("web"), member("web-search")];
const members = [planner, web, webSearch];
const pick = (answer: string, previous?: TeamMember) => {
  const { member: chosen, reason } = chooseMember(answer, members, previous);
  return `${chosen.name}:${reason}`;
};

describe("chooseMember", () => {
  it("takes an exact (trimmed, case-sensitive) name, even the previous member", () => {
    expect(pick("  web-search\n")).toBe("web-search:exact_match");
    expect(pick("planner", planner)).toBe("planner:exact_match");
  });

  it("falls back to the longest member the answer mentions, never the previous one", () => {
    expect(pick("I choose Web-Search.")).toBe("web-search:fallback");
    expect(pick("# web:")).toBe("web:fallback");
    expect(pick("Planner!", planner)).toBe("web:fallback");
  });

  it("otherwise takes the member after the previous one, or the first", () => {
    expect(pick("nobody")).toBe("planner:fallback");
    expect(pick("nobody", webSearch)).toBe("planner:fallback");
    expect(chooseMember("x", [planner], planner)).toMatchObject({ member: planner, reason: "fallback" });
  });
});
