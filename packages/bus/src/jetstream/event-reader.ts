import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { BusEventRecord, isTerminalBusEvent, type BusEventEnvelope, type BusQueryRef, type BusSubjects } from "@ark/types";
import type { ReadEventsOptions } from "../types.js";

export interface EventReaderDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  subjects: BusSubjects;
}

/**
 * One query's events through an ordered consumer filtered on its subject. The envelope's seq is
 * the stream sequence, so resuming after seq N starts the consumer at N + 1.
 */
export async function* readQueryEvents<E>(deps: EventReaderDeps, ref: BusQueryRef, opts: ReadEventsOptions): AsyncGenerator<BusEventEnvelope<E>> {
  const subject = deps.subjects.events(ref);
  const afterSeq = opts.afterSeq ?? 0;
  let lastSeq = Number.POSITIVE_INFINITY;
  if (!opts.follow) {
    const last = await deps.jsm.direct.getMessage(deps.stream, { last_by_subj: subject });
    if (!last || last.seq <= afterSeq) return;
    lastSeq = last.seq;
  }
  if (opts.signal?.aborted) return;
  const consumer = await deps.js.consumers.get(deps.stream, {
    filter_subjects: subject,
    ...(afterSeq > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: afterSeq + 1 } : { deliver_policy: DeliverPolicy.All }),
  });
  const messages = await consumer.consume({ max_messages: 256 });
  const stop = () => void messages.close();
  opts.signal?.addEventListener("abort", stop, { once: true });
  try {
    for await (const msg of messages) {
      const record = BusEventRecord.parse(msg.json()) as BusEventRecord<E>;
      yield { seq: msg.seq, ...record };
      if (opts.follow ? isTerminalBusEvent(record.event) : msg.seq >= lastSeq) return;
    }
  } finally {
    opts.signal?.removeEventListener("abort", stop);
    await messages.close();
    await consumer.delete().catch(() => false);
  }
}
