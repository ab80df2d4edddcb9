import { isTerminalQueryEvent, type QueryEvent, type QueryTargetError, type QueryTargetResponse, type TargetEndReason, type TerminalQueryEvent } from "@ark/types";

/** A target that ended normally but not by a plain answer: a team at maxTurns, by terminate, at its graph's end. */
export interface TargetEnd {
  code: TargetEndReason;
  message: string;
}

/** What the controller learns about one run from its events: per-target results and how it ended. */
export class RunRecord {
  responses: QueryTargetResponse[] = [];
  errors: QueryTargetError[] = [];
  ends: TargetEnd[] = [];
  /** The memory session the run read or wrote (status.conversationId). */
  conversationId: string | undefined;
  terminal: TerminalQueryEvent | undefined;

  apply(event: QueryEvent): void {
    if (this.terminal) return;
    switch (event.type) {
      case "query.started":
        // A redelivered run starts over; what an abandoned attempt reported no longer counts.
        this.responses = [];
        this.errors = [];
        this.ends = [];
        break;
      case "memory.read":
      case "memory.written":
        this.conversationId ??= event.sessionId;
        break;
      case "target.completed":
        this.responses.push({ target: event.target, content: event.content });
        if (event.endReason) this.ends.push({ code: event.endReason, message: event.reason ?? event.endReason });
        break;
      case "target.failed":
        this.errors.push({ target: event.target, message: event.message });
        break;
      default:
        if (isTerminalQueryEvent(event)) this.terminal = event;
    }
  }
}
