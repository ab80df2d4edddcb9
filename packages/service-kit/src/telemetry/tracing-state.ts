let enabled = false;

/** Whether this process exports traces; the HTTP and log hooks do nothing when it does not. */
export function tracingEnabled(): boolean {
  return enabled;
}

export function markTracingEnabled(value: boolean): void {
  enabled = value;
}
