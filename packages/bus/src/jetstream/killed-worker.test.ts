import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { QueryRunJob } from "@ark/types";
import { testNats } from "@ark/testing/vitest";
import { TEST_RUN_SETTINGS, deferred, makeJob, noExhaustion } from "../conformance/harness.js";
import { openTestJetStreamBus } from "./test-bus.js";

const nats = testNats();
const fixture = fileURLToPath(new URL("./fixtures/take-job-and-hang.ts", import.meta.url));
const settings = { ...TEST_RUN_SETTINGS, ackWaitMs: 1500 };

describe.skipIf(!nats)("JetStream bus: a worker process killed mid-job", () => {
  const disposers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const dispose of disposers) await dispose();
  });

  it("gets the job redelivered to another worker after the ack wait, as attempt 2", async () => {
    const harness = await openTestJetStreamBus(nats?.url as string, "kill", settings);
    disposers.push(harness.dispose);
    const job = makeJob();
    await harness.bus.enqueueRun(job);

    const child = spawn(process.execPath, ["--conditions=@ark/source", "--import", "tsx", fixture], {
      env: {
        ...process.env,
        NATS_URL: nats?.url,
        BUS_STREAM_PREFIX: harness.options.streamPrefix,
        BUS_SUBJECT_PREFIX: harness.options.subjectPrefix,
        BUS_ACK_WAIT_MS: String(settings.ackWaitMs),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = once(child, "exit");
    let took: { took: string; attempt: number } | undefined;
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith("{")) {
        took = JSON.parse(line) as { took: string; attempt: number };
        break;
      }
    }
    expect(took).toEqual({ took: job.queryUid, attempt: 1 });
    child.kill("SIGKILL");
    const [, signal] = await exited;
    expect(signal).toBe("SIGKILL");

    const peer = await harness.peer();
    const redelivered = deferred<[QueryRunJob, number]>();
    await peer.consumeRuns(async (j, ctl) => redelivered.resolve([j, ctl.attempt]), { concurrency: 1, onExhausted: noExhaustion });
    expect(await redelivered.promise).toEqual([job, 2]);
  });
});
