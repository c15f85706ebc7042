/** The few statistics the benchmark reports: quantiles (linear between ranks), median and the 10th–90th percentile spread. */

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (at - low);
}

export interface Spread {
  median: number;
  p10: number;
  p90: number;
  n: number;
}

export function spread(values: readonly number[]): Spread {
  return { median: quantile(values, 0.5), p10: quantile(values, 0.1), p90: quantile(values, 0.9), n: values.length };
}

export function ratio(value: Spread): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
  return value.n > 1 ? `${f(value.median)}× (${f(value.p10)}–${f(value.p90)})` : `${f(value.median)}×`;
}
