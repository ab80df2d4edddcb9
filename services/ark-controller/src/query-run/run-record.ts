import {
  isTerminalQueryEvent,
  type QueryEvent,
  type QueryTargetError,
  type QueryTargetResponse,
  type TerminalQueryEvent,
} from "@ark/types";

/** What the controller learns about one run from its events: per-target results and how it ended. */
export class RunRecord {
  responses: QueryTargetResponse[] = [];
  errors: QueryTargetError[] = [];
  terminal: TerminalQueryEvent | undefined;

  apply(event: QueryEvent): void {
    if (this.terminal) return;
    switch (event.type) {
      case "query.started":
        // A redelivered run starts over; what an abandoned attempt reported no longer counts.
        this.responses = [];
        this.errors = [];
        break;
      case "target.completed":
        this.responses.push({ target: event.target, content: event.content });
        break;
      case "target.failed":
        this.errors.push({ target: event.target, message: event.message });
        break;
      default:
        if (isTerminalQueryEvent(event)) this.terminal = event;
    }
  }
}
