import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import type { AccessControl } from "../auth/access-control.js";
import type { UserInfo } from "../auth/user.js";
import type { ObjectCache } from "../cache/object-cache.js";
import type { ResourceType } from "../resource-type.js";
import type { ChangeLog } from "../store/change-log.js";
import type { ObjectStore } from "../store/object-store.js";
import type { ChangeFeed } from "../watch/change-feed.js";
import type { WatchHub } from "../watch/watch-hub.js";
import type { WatchQuota } from "../watch/watch-quota.js";
import type { ObjectQuota } from "./write/object-quota.js";

/** What the resource handlers work with; built once per server. */
export interface ApiContext {
  store: ObjectStore;
  changeLog: ChangeLog;
  /** Every object in memory, fed by `feed`; lists and watches read it. */
  cache: ObjectCache;
  hub: WatchHub;
  feed: ChangeFeed;
  /** Wakes the background garbage collector (owner references, terminating namespaces). */
  collectGarbage: () => void;
  bookmarkIntervalMs: number;
  access: AccessControl;
  /** Caps on stored objects per namespace and per kind. */
  objectQuota: ObjectQuota;
  /** Open watches per client. */
  watchQuota: WatchQuota;
  /** Unsent bytes a watch may hold before it is closed (its client does not read). */
  watchBufferBytes: number;
  /** ARK's services' ServiceAccounts live here (ARK_APISERVER_SERVICE_NAMESPACE); they decide tool approvals for their callers. */
  serviceNamespace: string;
  /** Watches replay at most this many resourceVersions back (410 Expired beyond), even before the pruner ran. */
  watchHistoryLimit: number;
}

/** A request for one resource type, already routed. */
export interface ResourceRequest {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body?: Buffer;
  /** Who makes the request (authenticated, impersonation applied); writes of RBAC objects are checked against it. */
  user?: UserInfo;
}

/** A JSON answer; `json` is pre-serialised text (lists concatenate stored objects without parsing). */
export interface ApiReply {
  code: number;
  body?: unknown;
  json?: string;
  /** Pre-serialised JSON as bytes (lists from the cache). */
  raw?: Buffer;
  /** Pre-serialised JSON streamed in pieces (large lists from the cache). */
  stream?: Readable;
  warnings?: string[];
  contentType?: string;
}

export function apiVersionOf(rt: Pick<ResourceType, "group" | "version">): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}
