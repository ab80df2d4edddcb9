import { ClassifiedError } from "@ark/types";

export type RunAbortReason = "canceled" | "shutdown";

/** The reason on RunControl.signal, so a worker tells a canceled query (the user's) from a stopping process (retried elsewhere). */
export class RunAbortedError extends ClassifiedError {
  override readonly name = "RunAbortedError";
  constructor(
    readonly reason: RunAbortReason,
    message: string,
  ) {
    super(reason === "canceled" ? "user" : "system", reason === "canceled" ? "CANCELED" : "SHUTDOWN", message);
  }
}

export function isRunCanceled(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof RunAbortedError && signal.reason.reason === "canceled";
}
