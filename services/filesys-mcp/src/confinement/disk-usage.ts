import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { ArkError } from "@ark/service-kit";

export interface QuotaLimits {
  maxBytes: number;
  maxFiles: number;
  /** Who the quota belongs to, for messages: "the root", "this session's workspace". */
  scope: string;
  /** The settings that change it, named in the refusal so an operator knows what to raise. */
  bytesSetting: string;
  filesSetting: string;
}

export interface UsageCount {
  /** Sum of the sizes of regular files. */
  bytes: number;
  /** Entries of any type (files, directories, symlinks) below the root, the root itself excluded. */
  files: number;
}

/** Counts what already lies under `dir` without following symlinks (done once when a workspace opens). */
export async function countUsage(dir: string): Promise<UsageCount> {
  const count: UsageCount = { bytes: 0, files: 0 };
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const dirent of await readdir(current, { withFileTypes: true }).catch(() => [])) {
      count.files++;
      const path = join(current, dirent.name);
      if (dirent.isDirectory()) pending.push(path);
      else if (dirent.isFile()) count.bytes += (await lstat(path).catch(() => undefined))?.size ?? 0;
    }
  }
  return count;
}

/**
 * Bytes and entries used by one workspace, with its limits; a session's usage also counts against the root's.
 * `reserve` checks and charges in one synchronous step, so concurrent calls cannot both pass the last free byte.
 */
export class DiskUsage {
  private constructor(
    readonly limits: QuotaLimits,
    private used: UsageCount,
    private readonly parent: DiskUsage | undefined,
  ) {}

  /** `initial` is what is already on disk; it is not charged to `parent`, whose own count already holds it. */
  static of(limits: QuotaLimits, initial: UsageCount, parent?: DiskUsage): DiskUsage {
    return new DiskUsage(limits, { ...initial }, parent);
  }

  get bytes(): number {
    return this.used.bytes;
  }

  get files(): number {
    return this.used.files;
  }

  /** Charges a growth (a negative one always passes), or throws naming the quota it would exceed. */
  reserve(bytes: number, files: number, userPath: string): void {
    // oxlint-disable-next-line typescript/no-this-alias -- walks from this usage up its parents
    for (let usage: DiskUsage | undefined = this; usage; usage = usage.parent) usage.assertRoom(bytes, files, userPath);
    this.adjust(bytes, files);
  }

  /** Gives back a reservation that did not happen (or records a shrink). */
  release(bytes: number, files: number): void {
    this.adjust(-bytes, -files);
  }

  private adjust(bytes: number, files: number): void {
    // oxlint-disable-next-line typescript/no-this-alias -- walks from this usage up its parents
    for (let usage: DiskUsage | undefined = this; usage; usage = usage.parent) {
      usage.used.bytes = Math.max(0, usage.used.bytes + bytes);
      usage.used.files = Math.max(0, usage.used.files + files);
    }
  }

  private assertRoom(bytes: number, files: number, userPath: string): void {
    const { maxBytes, maxFiles, scope, bytesSetting, filesSetting } = this.limits;
    if (bytes > 0 && this.used.bytes + bytes > maxBytes) {
      throw new ArkError(
        "PAYLOAD_TOO_LARGE",
        `disk quota exceeded: ${userPath} needs ${bytes} more bytes, but ${scope} already uses ${this.used.bytes} of its ${maxBytes} bytes (${bytesSetting}); delete files to make room`,
      );
    }
    if (files > 0 && this.used.files + files > maxFiles) {
      throw new ArkError(
        "PAYLOAD_TOO_LARGE",
        `file count quota exceeded: ${userPath} needs ${files} more entries, but ${scope} already holds ${this.used.files} of its ${maxFiles} (${filesSetting}); delete files to make room`,
      );
    }
  }
}
