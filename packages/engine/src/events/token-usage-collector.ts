import type { QueryEvent } from "@ark/types";
import { addUsage, type TokenCount, zeroUsage } from "../usage.js";
import type { EventSink } from "./emit.js";

/**
 * Sums the usage of every `llm.call.completed` passing through to `next`: each model call counted once,
 * whichever agent, team or selector made it (docs/architecture.md §7.4).
 */
export class TokenUsageCollector {
  private total: TokenCount = zeroUsage();

  constructor(private readonly next?: EventSink) {}

  readonly sink: EventSink = (event: QueryEvent) => {
    if (event.type === "llm.call.completed") this.total = addUsage(this.total, event.tokenUsage);
    this.next?.(event);
  };

  get usage(): TokenCount {
    return { ...this.total };
  }
}
