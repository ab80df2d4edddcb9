// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { render } from "../test-support/render.js";
import { TeamGraph } from "./TeamGraph.js";

const members = [
  { name: "planner", type: "agent" },
  { name: "researcher", type: "agent" },
  { name: "writers", type: "team" },
];

describe("TeamGraph", () => {
  let view: ReturnType<typeof render> | undefined;
  afterEach(() => view?.unmount());

  const nodes = () => [...view!.container.querySelectorAll<SVGGElement>("g.node")].map((g) => g.dataset.member);
  const edges = () => [...view!.container.querySelectorAll<SVGLineElement>("line.edge")].map((line) => `${line.dataset.from}->${line.dataset.to}`);

  it("draws a node per member and the graph strategy's edges as written", () => {
    view = render(
      <TeamGraph
        members={members}
        strategy="graph"
        edges={[
          { from: "planner", to: "writers" },
          { from: "writers", to: "researcher" },
        ]}
      />,
    );
    expect(nodes()).toEqual(["planner", "researcher", "writers"]);
    expect(edges()).toEqual(["planner->writers", "writers->researcher"]);
    expect(view.container.querySelector("g.node.team")?.getAttribute("data-member")).toBe("writers");
    expect(view.container.textContent).toContain("2 hand-offs");
  });

  it("chains members in order for sequential, and back to the first for round-robin", () => {
    view = render(<TeamGraph members={members} strategy="sequential" />);
    expect(edges()).toEqual(["planner->researcher", "researcher->writers"]);
    view.rerender(<TeamGraph members={members} strategy="round-robin" />);
    expect(edges()).toEqual(["planner->researcher", "researcher->writers", "writers->planner"]);
  });

  it("draws no edges for a selector team and says the selector picks", () => {
    view = render(<TeamGraph members={members} strategy="selector" />);
    expect(edges()).toEqual([]);
    expect(view.container.textContent).toContain("selector model picks");
  });

  it("leaves out edges to members that do not exist, and lines stay inside the picture", () => {
    view = render(
      <TeamGraph
        members={members.slice(0, 2)}
        strategy="graph"
        edges={[
          { from: "planner", to: "ghost" },
          { from: "planner", to: "researcher" },
        ]}
      />,
    );
    expect(edges()).toEqual(["planner->researcher"]);
    const line = view.container.querySelector("line.edge")!;
    const [, , width, height] = view.container.querySelector("svg")!.getAttribute("viewBox")!.split(" ").map(Number);
    for (const [attr, max] of [
      ["x1", width],
      ["x2", width],
      ["y1", height],
      ["y2", height],
    ] as const) {
      const value = Number(line.getAttribute(attr));
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(max!);
    }
  });

  it("tells what to do when the team has no members", () => {
    view = render(<TeamGraph members={[]} strategy="sequential" />);
    expect(view.container.textContent).toContain("no members");
  });
});
