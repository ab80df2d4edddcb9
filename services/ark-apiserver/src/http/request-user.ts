import type { IncomingMessage } from "node:http";
import type { UserInfo } from "../auth/user.js";

const users = new WeakMap<IncomingMessage, UserInfo>();

/** The identity the request hook established for a request (the resource handlers read it). */
export function setRequestUser(request: IncomingMessage, user: UserInfo): void {
  users.set(request, user);
}

export function requestUser(request: IncomingMessage): UserInfo | undefined {
  return users.get(request);
}
