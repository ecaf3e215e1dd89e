// histogram_quantile over cumulative-free bucket counts, interpolating linearly inside a bucket the way
// Prometheus does, so the local p95 and the recorded p95 agree on the same data.
export function bucketQuantile(q: number, boundaries: readonly number[], counts: ArrayLike<number>): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < boundaries.length; i++) {
    const inBucket = counts[i];
    if (seen + inBucket >= rank && inBucket > 0) {
      const lower = i === 0 ? 0 : boundaries[i - 1];
      return lower + (boundaries[i] - lower) * ((rank - seen) / inBucket);
    }
    seen += inBucket;
  }
  // The rank falls in +Inf: like Prometheus, answer the top finite bound.
  return boundaries[boundaries.length - 1];
}
