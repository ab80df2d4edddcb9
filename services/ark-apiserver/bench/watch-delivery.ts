// Watch delivery as both bench scenarios measure it: `watchers` watches of one collection from a resourceVersion, then
// `events` writes, each stamping the time it was sent in the annotation `bench/sent`; a sample is the time from that
// write being sent to its event arriving at one watcher (so watchers × events samples when nothing is lost).
import { Agent, request } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";

export interface WatchDeliveryOptions {
  url: URL;
  token: string;
  caPem: string;
  watchers: number;
  /** The watch's path, with `?watch=true&resourceVersion=…`. */
  watchPath: string;
  events: number;
  /** The i-th write, stamping `metadata.annotations["bench/sent"] = sent`. */
  write: (i: number, sent: string) => Promise<unknown>;
}

export async function measureWatchDelivery(options: WatchDeliveryOptions): Promise<number[]> {
  const { url, token, caPem, watchers, watchPath, events, write } = options;
  const samples: number[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: watchers + 10, ca: caPem });
  const streams = await Promise.all(
    Array.from(
      { length: watchers },
      () =>
        new Promise<() => void>((ready, fail) => {
          const req = request({ host: url.hostname, port: url.port, path: watchPath, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
            let buffer = "";
            res.on("data", (chunk: Buffer) => {
              buffer += chunk.toString("utf8");
              let nl: number;
              while ((nl = buffer.indexOf("\n")) >= 0) {
                const line = buffer.slice(0, nl);
                buffer = buffer.slice(nl + 1);
                const event = JSON.parse(line) as { object: { metadata: { annotations?: Record<string, string> } } };
                const sent = event.object.metadata.annotations?.["bench/sent"];
                if (sent) samples.push(performance.now() + performance.timeOrigin - Number(sent));
              }
            });
            ready(() => req.destroy());
          });
          req.on("error", (err) => (err.message.includes("socket hang up") ? undefined : fail(err)));
          req.end();
        }),
    ),
  );
  for (let i = 0; i < events; i++) {
    await write(i, String(performance.now() + performance.timeOrigin));
    await sleep(5);
  }
  const expected = watchers * events;
  for (let waited = 0; samples.length < expected && waited < 10_000; waited += 50) await sleep(50);
  for (const stop of streams) stop();
  agent.destroy();
  return samples;
}
