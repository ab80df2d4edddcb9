import { connectionErrorCode } from "@ark/types";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { SseError } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const RETRYABLE_MESSAGE = /connection refused|no such host|network is unreachable|timeout|timed out|temporary failure|fetch failed|socket hang up/i;
const RETRYABLE_STATUS = new Set([408, 429, 502, 503, 504]);

/** Connect errors worth another attempt after a pause (upstream's list, plus gateway statuses). */
export function isRetryableConnectError(error: unknown): boolean {
  for (const e of causeChain(error)) {
    if (e instanceof StreamableHTTPError || e instanceof SseError) {
      if (e.code !== undefined) {
        if (RETRYABLE_STATUS.has(e.code)) return true;
        continue;
      }
    }
    if (connectionErrorCode(e)) return true;
    if (e instanceof McpError) {
      if (e.code === ErrorCode.RequestTimeout || e.code === ErrorCode.ConnectionClosed) return true;
      continue;
    }
    if (e instanceof Error && RETRYABLE_MESSAGE.test(e.message)) return true;
  }
  return false;
}

/**
 * The connection failed (not the tool), so a fresh client may succeed: HTTP-level errors, a closed
 * connection, network errors. JSON-RPC errors answered by the server are not. Timeouts and cancels are decided before this.
 */
export function isTransportFailure(error: unknown): boolean {
  if (error instanceof StreamableHTTPError || error instanceof SseError) return true;
  if (error instanceof McpError) return error.code === ErrorCode.ConnectionClosed;
  if (!(error instanceof Error)) return false;
  return error instanceof TypeError || TRANSPORT_MESSAGE.test(error.message) || isRetryableConnectError(error);
}

const TRANSPORT_MESSAGE = /^Not connected$|Error POSTing to endpoint|SSE stream disconnected/;

function* causeChain(error: unknown): Generator<unknown> {
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}
