import { commonServiceConfig, envBoolean, envDuration, envInt, envList, envPort } from "@ark/service-kit";
import { z } from "zod";

export const filesysConfig = commonServiceConfig.extend({
  PORT: envPort().default(9090),
  /** The directory every tool is confined to; unset: $ARK_HOME/filesys. Created if missing. */
  FILESYS_ROOT: z.string().min(1).optional(),
  /** Give each MCP session its own subfolder (named by the session id) as its root. */
  FILESYS_SESSION_WORKSPACES: envBoolean().default(false),
  /** Streamable HTTP sessions unused this long are closed (clients that never send DELETE). */
  FILESYS_SESSION_IDLE_TIMEOUT: envDuration().default(30 * 60_000),
  /** Disk quota of the root (regular files' bytes, and entries of any type); what is there at start counts. */
  FILESYS_QUOTA_BYTES: envInt({ min: 0 }).default(1024 * 1_048_576),
  FILESYS_QUOTA_FILES: envInt({ min: 0 }).default(100_000),
  /** With per-session workspaces: each session's quota (also counted against the root's). */
  FILESYS_SESSION_QUOTA_BYTES: envInt({ min: 0 }).default(100 * 1_048_576),
  FILESYS_SESSION_QUOTA_FILES: envInt({ min: 0 }).default(10_000),
  /** A numeric gid: created files get it with mode 0640 and directories 0750 (else 0600 and 0700). */
  FILESYS_GROUP: envInt({ min: 0 }).optional(),
  FILESYS_MAX_READ_BYTES: envInt({ min: 1 }).default(1_048_576),
  FILESYS_MAX_WRITE_BYTES: envInt({ min: 1 }).default(1_048_576),
  /** Host names (no port) accepted in the Host header, added to the defaults; `*.example` matches subdomains, `*` any. */
  FILESYS_ALLOWED_HOSTS: envList().default([]),
  /** Origins (`http://host:port`) accepted when a request carries Origin, added to loopback origins; `*` any. */
  FILESYS_ALLOWED_ORIGINS: envList().default([]),
  /** JSON-RPC bodies carry whole files in write_file, so the body limit follows the write limit. */
  BODY_LIMIT_BYTES: envInt({ min: 1 }).default(4 * 1_048_576),
});

export type FilesysConfig = z.output<typeof filesysConfig>;
