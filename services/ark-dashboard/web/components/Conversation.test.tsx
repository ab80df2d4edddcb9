// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { render } from "../test-support/render.js";
import { Conversation } from "./Conversation.js";

describe("Conversation", () => {
  let view: ReturnType<typeof render> | undefined;
  afterEach(() => view?.unmount());

  it("shows each message by role, the assistant's tool calls with their arguments, and the tool's result", () => {
    view = render(
      <Conversation
        messages={[
          { role: "system", content: "You help." },
          { role: "user", content: "Weather in Paris?" },
          { role: "assistant", content: null, tool_calls: [{ id: "call_1", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
          { role: "tool", tool_call_id: "call_1", content: "sunny" },
          { role: "assistant", content: [{ type: "text", text: "It is sunny." }] },
        ]}
      />,
    );
    const items = [...view.container.querySelectorAll("li.message")];
    expect(items.map((li) => li.getAttribute("data-role"))).toEqual(["system", "user", "assistant", "tool", "assistant"]);
    expect(items[1]!.querySelector(".bubble.user")?.textContent).toBe("Weather in Paris?");
    const call = view.container.querySelector(".tool-call[data-tool=get_weather]");
    expect(call?.textContent).toContain('{"city":"Paris"}');
    expect(items[2]!.querySelector(".bubble")).toBeNull();
    expect(items[3]!.textContent).toContain("result of call_1");
    expect(items[3]!.textContent).toContain("sunny");
    expect(items[4]!.querySelector(".bubble")?.textContent).toBe("It is sunny.");
  });

  it("says when a session has no messages", () => {
    view = render(<Conversation messages={[]} />);
    expect(view.container.textContent).toBe("This session has no messages.");
  });
});
