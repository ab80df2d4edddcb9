import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { writePerTick } from "./write-per-tick.js";

/** A sink that records each write it gets (writev: the chunks of one corked batch together). */
function recordingSink() {
  const writes: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString());
      done();
    },
    writev(chunks, done) {
      writes.push(chunks.map(({ chunk }) => String(chunk)).join(""));
      done();
    },
  });
  return { sink, writes };
}

describe("writePerTick", () => {
  it("sends what one tick writes as one write, in order, and the next tick's as another", async () => {
    const { sink, writes } = recordingSink();
    const write = writePerTick(sink);
    write("a\n");
    write(Buffer.from("b\n"));
    write("c\n");
    await new Promise((resolve) => setImmediate(resolve));
    write("d\n");
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(["a\nb\nc\n", "d\n"]);
  });

  it("loses nothing written just before the stream ends", async () => {
    const { sink, writes } = recordingSink();
    const write = writePerTick(sink);
    write("last\n");
    sink.end();
    await new Promise((resolve) => sink.on("finish", resolve));
    expect(writes.join("")).toBe("last\n");
  });
});
