import { setTimeout as delay } from "node:timers/promises";
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { BusEventRecord, type BusSubjects } from "@ark/types";
import type { EventWatchListener, WatchEventsOptions } from "../types.js";
import { decodeJson } from "./decode-json.js";

export interface EventWatcherDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  subjects: BusSubjects;
}

const RETRY_MS = 500;

/**
 * Every query's events through one ordered consumer on the events stream, from the sequence after its current
 * end. The ordered consumer recreates itself on a gap; if its iteration ends anyway (stream recreated, server
 * gone too long), the watcher starts a new one after the last sequence it delivered.
 */
export async function watchAllEvents<E>(deps: EventWatcherDeps, listener: EventWatchListener<E>, opts: WatchEventsOptions = {}): Promise<() => void> {
  const info = await deps.jsm.streams.info(deps.stream);
  let nextSeq = info.state.last_seq + 1;
  let stopped = false;
  let messages: ConsumerMessages | undefined;
  const stopping = new AbortController();

  const open = async (): Promise<ConsumerMessages> => {
    const consumer = await deps.js.consumers.get(deps.stream, {
      filter_subjects: deps.subjects.allEvents,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: nextSeq,
    });
    return consumer.consume({ max_messages: 1024 });
  };

  const deliver = async (current: ConsumerMessages): Promise<void> => {
    for await (const msg of current) {
      if (stopped) return;
      nextSeq = msg.seq + 1;
      const record = BusEventRecord.safeParse(decodeJson(msg.data));
      if (!record.success) {
        opts.onError?.(new Error(`undecodable event at seq ${msg.seq} on ${msg.subject}`));
        continue;
      }
      try {
        listener({ seq: msg.seq, ...(record.data as BusEventRecord<E>) }, msg.data.length);
      } catch (error) {
        opts.onError?.(error);
      }
    }
  };

  messages = await open();
  void (async () => {
    while (!stopped) {
      try {
        if (!messages) messages = await open();
        await deliver(messages);
        if (!stopped) throw new Error("the events consumer ended; starting a new one");
      } catch (error) {
        if (stopped) return;
        opts.onError?.(error);
        await messages?.close().catch(() => undefined);
        messages = undefined;
        await delay(RETRY_MS, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  })();

  return () => {
    if (stopped) return;
    stopped = true;
    stopping.abort();
    void messages?.close().catch(() => undefined);
  };
}
