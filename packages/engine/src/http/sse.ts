/**
 * Incremental Server-Sent Events decoder: bytes in, `data` payloads of complete events out.
 * Handles lines and multi-byte characters split across chunks, CRLF/CR/LF, comments and multi-line data.
 */
export class SseDecoder {
  private readonly text = new TextDecoder("utf-8");
  private buffer = "";
  private data: string[] = [];

  push(chunk: Uint8Array): string[] {
    this.buffer += this.text.decode(chunk, { stream: true });
    return this.drainLines(false);
  }

  end(): string[] {
    this.buffer += this.text.decode();
    const events = this.drainLines(true);
    if (this.data.length > 0) events.push(this.data.join("\n"));
    this.data = [];
    return events;
  }

  private drainLines(final: boolean): string[] {
    const events: string[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const ch = this.buffer[i];
      if (ch !== "\n" && ch !== "\r") continue;
      // A CR at the very end may be the first half of CRLF: wait for the next chunk.
      if (ch === "\r" && i === this.buffer.length - 1 && !final) break;
      this.acceptLine(this.buffer.slice(start, i), events);
      if (ch === "\r" && this.buffer[i + 1] === "\n") i++;
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    if (final && this.buffer.length > 0) {
      this.acceptLine(this.buffer, events);
      this.buffer = "";
    }
    return events;
  }

  private acceptLine(line: string, events: string[]): void {
    if (line === "") {
      if (this.data.length > 0) events.push(this.data.join("\n"));
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== "data") return;
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    this.data.push(value);
  }
}
