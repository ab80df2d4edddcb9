import type { ReactNode } from "react";
import { ApiError } from "../api.js";

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** An error from ark-api with its message, and the fields it names. */
export function ErrorBox({ error, title }: { error: Error; title?: string }) {
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div className="error" role="alert">
      <strong>{title ?? "Error"}:</strong> {error.message}
      {details.length > 0 && (
        <ul>
          {details.map((d, i) => (
            <li key={i}>
              <code>{d.field}</code> {d.detail ?? d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty">
      <p>
        <strong>{title}</strong>
      </p>
      <p className="muted">{children}</p>
    </div>
  );
}

export function Badge({ value }: { value: string | null | undefined }) {
  const text = value ?? "unknown";
  const tone = /^(ready|done|true|available|running|passed)$/i.test(text) ? "ok" : /error|fail|not ready|false|canceled/i.test(text) ? "bad" : "neutral";
  return <span className={`badge ${tone}`}>{text}</span>;
}
