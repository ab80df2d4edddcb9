import { ArkError, type Principal } from "@ark/service-kit";

/** Open event streams per principal, capped: each holds a socket and a bus subscription for as long as the client stays. */
export class StreamSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Takes one of the principal's slots or throws 429; the returned function gives it back (calling it again does nothing). */
  take(principal: Principal): () => void {
    const count = this.open.get(principal.id) ?? 0;
    if (count >= this.max) {
      throw new ArkError("RATE_LIMITED", `${principal.id} already has ${count} event streams open (MAX_STREAMS_PER_PRINCIPAL); close one first`);
    }
    this.open.set(principal.id, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(principal.id) ?? 1) - 1;
      if (left > 0) this.open.set(principal.id, left);
      else this.open.delete(principal.id);
    };
  }
}
