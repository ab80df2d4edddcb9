// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { render } from "../test-support/render.js";
import { queryActivity } from "./activity.js";
import { BarChart } from "./BarChart.js";

const NOW = Date.parse("2026-01-10T12:00:30Z");
const at = (iso: string, totalTokens?: number) => ({ creationTimestamp: iso, ...(totalTokens === undefined ? {} : { status: { tokenUsage: { totalTokens } } }) });

describe("queryActivity", () => {
  it("counts queries and tokens per minute when the oldest query is recent", () => {
    const buckets = queryActivity([at("2026-01-10T12:00:10Z", 30), at("2026-01-10T12:00:20Z", 12), at("2026-01-10T11:58:05Z")], NOW);
    expect(buckets).toHaveLength(24);
    expect(buckets[1]!.start - buckets[0]!.start).toBe(60_000);
    const last = buckets[buckets.length - 1]!;
    expect(new Date(last.start).toISOString()).toBe("2026-01-10T12:00:00.000Z");
    expect(last).toMatchObject({ queries: 2, tokens: 42 });
    expect(buckets[buckets.length - 3]).toMatchObject({ queries: 1, tokens: 0 });
    expect(buckets.reduce((n, b) => n + b.queries, 0)).toBe(3);
  });

  it("widens the step so the oldest query still fits, and leaves out what has no time", () => {
    const buckets = queryActivity([at("2026-01-08T14:00:00Z", 5), at("2026-01-10T12:00:00Z", 7), { creationTimestamp: "not a time" }, {}], NOW);
    expect(buckets[1]!.start - buckets[0]!.start).toBe(6 * 3_600_000);
    expect(buckets.reduce((n, b) => n + b.queries, 0)).toBe(2);
    expect(buckets.reduce((n, b) => n + b.tokens, 0)).toBe(12);
  });

  it("has empty buckets ending now when there are no queries", () => {
    const buckets = queryActivity([], NOW);
    expect(buckets.every((b) => b.queries === 0 && b.tokens === 0)).toBe(true);
    expect(buckets[buckets.length - 1]!.start).toBeLessThanOrEqual(NOW);
  });
});

describe("BarChart", () => {
  let view: ReturnType<typeof render> | undefined;
  afterEach(() => view?.unmount());

  it("draws one bar per bucket, the tallest for the largest value, and the total", () => {
    const buckets = queryActivity([at("2026-01-10T12:00:10Z", 30), at("2026-01-10T11:59:10Z", 10)], NOW, 4);
    view = render(<BarChart title="Tokens over time" buckets={buckets} value={(b) => b.tokens} unit="tokens" />);
    const bars = [...view.container.querySelectorAll("rect.bar")];
    expect(bars.map((bar) => bar.getAttribute("data-value"))).toEqual(["0", "0", "10", "30"]);
    const heights = bars.map((bar) => Number(bar.getAttribute("height")));
    expect(heights[3]).toBeGreaterThan(heights[2]!);
    expect(heights[0]).toBe(0);
    expect(view.container.querySelector("figcaption")?.textContent).toContain("40 tokens");
    expect(view.container.querySelector("svg")?.getAttribute("aria-label")).toBe("Tokens over time: 40 tokens");
  });
});
