import { ArkError } from "@ark/service-kit";
import { describe, expect, it } from "vitest";
import { parseModelTarget, renderMessages } from "./chat-request.js";

describe("chat requests", () => {
  it("reads the target from the model name", () => {
    expect(parseModelTarget("agent/weather")).toEqual({ type: "agent", name: "weather" });
    expect(parseModelTarget("team/research.v2")).toEqual({ type: "team", name: "research.v2" });
    for (const bad of ["gpt-4", "agent/", "robot/x", "agent/Upper", "/x"]) expect(() => parseModelTarget(bad)).toThrow(ArkError);
  });

  it("passes a lone user message as it is and renders a conversation as role lines", () => {
    expect(renderMessages([{ role: "user", content: "Hi there" }])).toBe("Hi there");
    expect(
      renderMessages([
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "Weather " },
            { type: "text", text: "in Paris?" },
          ],
        },
        { role: "assistant", content: null },
      ]),
    ).toBe("system: Be brief.\nuser: Weather in Paris?\nassistant: ");
  });
});
