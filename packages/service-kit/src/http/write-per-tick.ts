import type { Writable } from "node:stream";

/**
 * Writes to a long-lived response (a watch, an event stream) so that what is written in one tick of the event loop
 * leaves in one write: the stream is corked at the tick's first write and uncorked after the tick. A burst (a group
 * commit's events, a replay) then costs one syscall and, over TLS, one record, not one per message.
 */
export function writePerTick(out: Writable): (chunk: string | Buffer) => void {
  let corked = false;
  return (chunk) => {
    if (!corked) {
      corked = true;
      out.cork();
      process.nextTick(() => {
        corked = false;
        out.uncork();
      });
    }
    out.write(chunk);
  };
}
