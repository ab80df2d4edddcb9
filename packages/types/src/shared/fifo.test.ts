import { describe, expect, it } from "vitest";
import { Fifo } from "./fifo.js";

describe("Fifo", () => {
  it("gives items back in the order they came, as an array would, across many compactions", () => {
    const fifo = new Fifo<number>();
    const model: number[] = [];
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    let next = 0;
    for (let step = 0; step < 200_000; step++) {
      // Grows to thousands, then drains, then grows again: every path through shift is taken.
      const pushing = step % 50_000 < 30_000 ? random() < 0.6 : random() < 0.3;
      if (pushing) {
        fifo.push(next);
        model.push(next++);
      } else {
        expect(fifo.peek()).toBe(model[0]);
        expect(fifo.shift()).toBe(model.shift());
      }
      expect(fifo.length).toBe(model.length);
    }
    while (model.length > 0) expect(fifo.shift()).toBe(model.shift());
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.peek()).toBeUndefined();
    expect(fifo.length).toBe(0);
  });

  it("is empty after clear and takes new items after it", () => {
    const fifo = new Fifo<string>();
    for (let i = 0; i < 3000; i++) fifo.push(`k${i}`);
    for (let i = 0; i < 2000; i++) fifo.shift();
    fifo.clear();
    expect(fifo.length).toBe(0);
    expect(fifo.shift()).toBeUndefined();
    fifo.push("after");
    expect(fifo.peek()).toBe("after");
    expect(fifo.length).toBe(1);
  });
});
