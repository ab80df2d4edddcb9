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
});
