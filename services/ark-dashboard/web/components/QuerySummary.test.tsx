// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { render } from "../test-support/render.js";
import { QuerySummary } from "./QuerySummary.js";

describe("QuerySummary", () => {
  let view: ReturnType<typeof render> | undefined;
  afterEach(() => view?.unmount());
  const fact = (name: string) => view!.container.querySelector(`[data-fact=${name}]`)?.textContent;

  it("shows tokens, duration, each target's response and error, and the evaluations with their result", () => {
    view = render(
      <QuerySummary
        input="What is 2+2?"
        status={{
          phase: "done",
          tokenUsage: { promptTokens: 12, completionTokens: 3, totalTokens: 15 },
          evaluationTokenUsage: { totalTokens: 40 },
          duration: "1.5s",
          responses: [{ target: { type: "agent", name: "math" }, content: "4" }],
          errors: [{ target: { type: "agent", name: "broken" }, message: "model gone" }],
          evaluations: [
            { evaluatorName: "judge", score: "0.9", passed: true, metadata: { reasoning: "correct" } },
            { evaluatorName: "strict", score: "0.2", passed: false },
          ],
        }}
      />,
    );
    expect(fact("tokens")).toBe("15 (12 prompt, 3 completion)");
    expect(fact("evaluation-tokens")).toBe("40");
    expect(fact("duration")).toBe("1.5s");
    const responses = view.container.querySelector("[aria-label=Responses]")!.textContent;
    expect(responses).toContain("agent/math4");
    expect(responses).toContain("model gone");
    expect(view.container.querySelector("tr[data-evaluator=judge]")?.textContent).toBe("judge0.9passedreasoning: correct");
    expect(view.container.querySelector("tr[data-evaluator=strict] .badge")?.className).toContain("bad");
  });

  it("says what to do when a query has no evaluations, and dashes for what is not known yet", () => {
    view = render(<QuerySummary input="hi" status={{ phase: "running" }} />);
    expect(fact("tokens")).toBe("—");
    expect(fact("duration")).toBe("—");
    expect(view.container.querySelector("[aria-label=Evaluations]")?.textContent).toContain("add evaluators");
  });
});
