import { ArkError, isArkError } from "@ark/service-kit";

const messages: Record<string, [code: ConstructorParameters<typeof ArkError>[0], text: string]> = {
  ENOENT: ["NOT_FOUND", "no such file or directory"],
  EEXIST: ["CONFLICT", "already exists"],
  EISDIR: ["INVALID_INPUT", "is a directory"],
  ENOTDIR: ["INVALID_INPUT", "not a directory"],
  ENOTEMPTY: ["CONFLICT", "directory not empty"],
  ELOOP: ["FORBIDDEN", "path refused (a symlink appeared where a file was checked)"],
  EXDEV: ["INVALID_INPUT", "cannot move across filesystems"],
  EINVAL: ["INVALID_INPUT", "invalid operation (moving a directory into itself?)"],
  EACCES: ["FORBIDDEN", "permission denied"],
  EPERM: ["FORBIDDEN", "operation not permitted"],
  ENOSPC: ["UNAVAILABLE", "no space left on device"],
  ENAMETOOLONG: ["INVALID_INPUT", "name too long"],
};

/** Turns a filesystem error into an ArkError naming the caller's path, never the real one. */
export function fsError(err: unknown, userPath: string): ArkError {
  if (isArkError(err)) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const known = code ? messages[code] : undefined;
  if (known) return new ArkError(known[0], `${known[1]}: ${userPath}`, { cause: err });
  return new ArkError("INTERNAL", `filesystem operation failed: ${userPath}`, { cause: err });
}
