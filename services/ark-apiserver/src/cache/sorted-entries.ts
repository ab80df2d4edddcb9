/** What SortedEntries orders by: namespace, then name (bytewise for ASCII, like the database's C collation). */
export interface Keyed {
  readonly namespace: string;
  readonly name: string;
}

/** At most this many entries a chunk: an insert or remove moves at most that many, not every later entry. */
const CHUNK = 512;

/**
 * A resource's cached objects in key order, kept in chunks of at most CHUNK entries. One sorted array made each new
 * object (a query's Events, which sort anywhere) move every entry after it: microseconds per write at tens of
 * thousands of objects, growing with the store. Here an insert or remove costs a binary search and a move within a chunk.
 */
export class SortedEntries<T extends Keyed> {
  private chunks: T[][] = [];
  private count = 0;

  /** From entries in any order (each key once). */
  static of<T extends Keyed>(entries: T[]): SortedEntries<T> {
    const sorted = new SortedEntries<T>();
    entries.sort((a, b) => compareKey(a, b.namespace, b.name));
    for (let at = 0; at < entries.length; at += CHUNK) sorted.chunks.push(entries.slice(at, at + CHUNK));
    sorted.count = entries.length;
    return sorted;
  }

  get length(): number {
    return this.count;
  }

  /** Stores `entry`, replacing the one with its key; true when the key is new. */
  put(entry: T): boolean {
    if (this.chunks.length === 0) {
      this.chunks.push([entry]);
      this.count = 1;
      return true;
    }
    // The first chunk whose last key is >= the entry's, or the last chunk (the entry goes at its end).
    const c = Math.min(this.chunkAtOrAfter(entry.namespace, entry.name), this.chunks.length - 1);
    const chunk = this.chunks[c]!;
    const at = lowerBound(chunk, entry.namespace, entry.name, 0);
    if (at < chunk.length && compareKey(chunk[at]!, entry.namespace, entry.name) === 0) {
      chunk[at] = entry;
      return false;
    }
    chunk.splice(at, 0, entry);
    this.count += 1;
    if (chunk.length > CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(chunk.length >>> 1));
    return true;
  }

  /** Removes the entry with this key; true when there was one. */
  remove(namespace: string, name: string): boolean {
    const c = this.chunkAtOrAfter(namespace, name);
    const chunk = this.chunks[c];
    if (!chunk) return false;
    const at = lowerBound(chunk, namespace, name, 0);
    if (at >= chunk.length || compareKey(chunk[at]!, namespace, name) !== 0) return false;
    chunk.splice(at, 1);
    this.count -= 1;
    if (chunk.length === 0) this.chunks.splice(c, 1);
    else {
      // A chunk left small joins its neighbour, so deletes (a TTL sweep) do not leave thousands of tiny chunks.
      const next = this.chunks[c + 1];
      if (next && chunk.length + next.length <= CHUNK >>> 1) {
        chunk.push(...next);
        this.chunks.splice(c + 1, 1);
      }
    }
    return true;
  }

  /**
   * Calls `visit` with the entries in key order from the first at or after (namespace, name) — after it when
   * `exclusive` — or from the first entry when `from` is undefined, until `visit` returns false.
   */
  forEachFrom(from: Keyed | undefined, exclusive: boolean, visit: (entry: T) => boolean | void): void {
    let c = 0;
    let at = 0;
    if (from) {
      c = this.chunkAtOrAfter(from.namespace, from.name);
      const chunk = this.chunks[c];
      if (!chunk) return;
      at = (exclusive ? upperBound : lowerBound)(chunk, from.namespace, from.name, 0);
    }
    for (; c < this.chunks.length; c++, at = 0) {
      const chunk = this.chunks[c]!;
      for (; at < chunk.length; at++) if (visit(chunk[at]!) === false) return;
    }
  }

  /** The first chunk whose last entry's key is >= (namespace, name); chunks.length when there is none. */
  private chunkAtOrAfter(namespace: string, name: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid]!;
      if (compareKey(chunk[chunk.length - 1]!, namespace, name) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export function compareKey(e: Keyed, namespace: string, name: string): number {
  if (e.namespace !== namespace) return e.namespace < namespace ? -1 : 1;
  if (e.name !== name) return e.name < name ? -1 : 1;
  return 0;
}

/** First index from `lo` whose key is >= (namespace, name). */
function lowerBound(sorted: readonly Keyed[], namespace: string, name: string, lo: number): number {
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKey(sorted[mid]!, namespace, name) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index from `lo` whose key is > (namespace, name). */
function upperBound(sorted: readonly Keyed[], namespace: string, name: string, lo: number): number {
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKey(sorted[mid]!, namespace, name) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
