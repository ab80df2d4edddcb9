// The bench's mock model in a process of its own (mock.ts starts it), as a real model is remote: its HTTP work is
// not done on the main thread of the process measured (the embedded stack's one process, or the peer's).
import { serveParent } from "./child.js";
import type { MockRequest } from "./mock.js";
import { startMockModel } from "./kit.js";

const mock = await startMockModel();
serveParent<MockRequest>(
  async (request) => {
    mock.setLatency({ delayMs: request.delayMs });
    return undefined;
  },
  { ready: mock.url, onStop: () => mock.close() },
);
