import { bucketLabel, type ActivityBucket } from "./activity.js";

const WIDTH = 480;
const HEIGHT = 140;
const AXIS = 18;

/** A bar chart drawn as inline SVG (no chart library): one bar per bucket, its value in the bar's title. */
export function BarChart({ title, buckets, value, unit }: { title: string; buckets: readonly ActivityBucket[]; value: (bucket: ActivityBucket) => number; unit: string }) {
  const values = buckets.map(value);
  const max = Math.max(1, ...values);
  const total = values.reduce((a, b) => a + b, 0);
  const step = buckets.length > 1 ? buckets[1]!.start - buckets[0]!.start : 60_000;
  const slot = WIDTH / Math.max(1, buckets.length);
  const plot = HEIGHT - AXIS;
  return (
    <figure className="chart card" aria-label={title}>
      <figcaption>
        <strong>{title}</strong>{" "}
        <span className="muted" data-total={total}>
          {total.toLocaleString()} {unit}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}: ${total} ${unit}`}>
        <line x1={0} y1={plot} x2={WIDTH} y2={plot} className="axis" />
        {buckets.map((bucket, i) => {
          const v = values[i]!;
          const h = (v / max) * (plot - 4);
          return (
            <rect key={bucket.start} className="bar" data-value={v} data-start={new Date(bucket.start).toISOString()} x={i * slot + slot * 0.15} y={plot - h} width={slot * 0.7} height={h}>
              <title>{`${bucketLabel(bucket.start, step)}: ${v} ${unit}`}</title>
            </rect>
          );
        })}
        {buckets.length > 0 && (
          <>
            <text x={0} y={HEIGHT - 4} className="tick">
              {bucketLabel(buckets[0]!.start, step)}
            </text>
            <text x={WIDTH} y={HEIGHT - 4} className="tick" textAnchor="end">
              {bucketLabel(buckets[buckets.length - 1]!.start, step)}
            </text>
          </>
        )}
      </svg>
    </figure>
  );
}
