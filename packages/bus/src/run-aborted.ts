export type RunAbortReason = "canceled" | "shutdown";

/** The reason on RunControl.signal, so a worker tells a canceled query from a stopping process. */
export class RunAbortedError extends Error {
  override readonly name = "RunAbortedError";
  constructor(
    readonly reason: RunAbortReason,
    message: string,
  ) {
    super(message);
  }
}

export function isRunCanceled(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof RunAbortedError && signal.reason.reason === "canceled";
}
