const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const INTERVAL_MS = 80;

/** Progress on stderr: a spinner with a status text on a TTY; on anything else (or with NO_COLOR, TERM=dumb, CI), just the logged lines. */
export interface Spinner {
  /** The text next to the spinner (what is happening now). */
  update(text: string): void;
  /** A permanent line above the spinner. */
  log(line: string): void;
  stop(): void;
  /** Stops drawing while `work` runs (a question to the person), then goes on. */
  hold<T>(work: () => Promise<T>): Promise<T>;
}

export function createSpinner(stream: NodeJS.WriteStream = process.stderr, initial = ""): Spinner {
  if (!stream.isTTY || process.env.NO_COLOR !== undefined || process.env.TERM === "dumb" || process.env.CI) {
    return { update: () => {}, log: (line) => void stream.write(`${line}\n`), stop: () => {}, hold: (work) => work() };
  }
  let text = initial;
  let frame = 0;
  const clear = () => stream.write("\r\x1b[2K");
  const draw = () => stream.write(`\r\x1b[2K${FRAMES[frame % FRAMES.length]} ${text.slice(0, Math.max(10, (stream.columns ?? 80) - 3))}`);
  let held = false;
  const timer = setInterval(() => {
    frame++;
    if (!held) draw();
  }, INTERVAL_MS);
  timer.unref();
  draw();
  let stopped = false;
  return {
    update(next) {
      text = next;
      if (!stopped && !held) draw();
    },
    log(line) {
      if (stopped || held) return void stream.write(`${line}\n`);
      clear();
      stream.write(`${line}\n`);
      draw();
    },
    async hold(work) {
      held = true;
      clear();
      try {
        return await work();
      } finally {
        held = false;
        if (!stopped) draw();
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      clear();
    },
  };
}
