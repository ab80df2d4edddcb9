import type { ReactNode } from "react";
import { Link } from "../router.js";

/** A page's heading under the page it belongs to: "<parent> / <children>", the parent a link back to it. */
export function PageTitle({ to, parent, children }: { to: string; parent: ReactNode; children: ReactNode }) {
  return (
    <h1>
      <Link to={to} className="muted">
        {parent}
      </Link>{" "}
      / {children}
    </h1>
  );
}
