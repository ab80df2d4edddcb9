import { ArkError } from "@ark/service-kit";
import type { QuotaLimits } from "../confinement/disk-usage.js";
import type { Workspace } from "../confinement/workspace.js";

const SESSION_ID = /^[A-Za-z0-9-]{8,128}$/;

/** The shared root, or with per-session workspaces a subfolder named after each MCP session id. */
export class Workspaces {
  private readonly sessions = new Map<string, Promise<Workspace>>();

  constructor(
    readonly root: Workspace,
    readonly perSession: boolean,
    /** Each session's own quota; its usage also counts against the root's. */
    private readonly sessionQuota: QuotaLimits = root.usage.limits,
  ) {}

  forSession(sessionId: string | undefined): Promise<Workspace> {
    if (!this.perSession) return Promise.resolve(this.root);
    if (!sessionId || !SESSION_ID.test(sessionId)) {
      return Promise.reject(new ArkError("INVALID_INPUT", "per-session workspaces need an MCP session (mcp-session-id)"));
    }
    let workspace = this.sessions.get(sessionId);
    if (!workspace) {
      workspace = this.root.exclusive(() => this.root.child(sessionId, this.sessionQuota));
      workspace.catch(() => this.sessions.delete(sessionId));
      this.sessions.set(sessionId, workspace);
    }
    return workspace;
  }

  /** Forgets a closed session; its folder and files stay on disk. */
  release(sessionId: string): void {
    this.sessions.delete(sessionId);
  }
}
