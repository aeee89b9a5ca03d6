/** Figures as the training and models views show them. */

export function pct(v: number | null | undefined, digits = 1): string {
  return v == null || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(digits)}%`;
}

export function num(v: number | null | undefined, digits = 4): string {
  if (v == null) return '–';
  if (!Number.isFinite(v)) return String(v);
  return v.toFixed(digits);
}

export function duration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function rate(v: number | null | undefined): string {
  return v == null || !Number.isFinite(v) ? '–' : `${Math.round(v).toLocaleString('en-US')} samples/s`;
}

export function date(ms: number | null | undefined): string {
  if (ms == null) return '–';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A model's accuracy with what it is: "test accuracy 49.7%" (its test metrics) or "validation accuracy 46.0%". */
export function accuracyLabel(a: number | null | undefined, split: 'test' | 'validation' | null): string {
  return a == null || !Number.isFinite(a) ? '' : `${split ?? 'validation'} accuracy ${pct(a)}`;
}
