/**
 * Chart.js with only the pieces the curves use (line charts on linear axes, legend, tooltip),
 * registered once. Bundled by vite: no CDN.
 */
import {
  Chart,
  type ChartDataset,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

import type { Point } from './curves';
import { OVERLAY_SERIES, SERIES } from '../../lib/colors';

export type { Point };

export type LineDataset = ChartDataset<'line', Point[]>;

export interface CurveOptions {
  yTitle: string;
  /** Fixed y range (accuracy: 0..1). */
  yMin?: number;
  yMax?: number;
  percent?: boolean;
}

/** Axis and legend ink from the scheme shown (styles.css); a chart is made again when the scheme changes. */
function ink(): { grid: string; ticks: string; text: string } {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return { grid: v('--chart-grid', 'rgba(128,128,128,0.2)'), ticks: v('--muted', '#888'), text: v('--text', '#888') };
}

export function createCurveChart(canvas: HTMLCanvasElement, opts: CurveOptions): Chart<'line', Point[]> {
  const { grid: GRID, ticks: TICKS, text: TEXT } = ink();
  return new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: {
          type: 'linear',
          min: 0,
          title: { display: true, text: 'epoch', color: TICKS },
          ticks: { color: TICKS, precision: 0 },
          grid: { color: GRID },
        },
        y: {
          type: 'linear',
          ...(opts.yMin !== undefined ? { min: opts.yMin } : {}),
          ...(opts.yMax !== undefined ? { max: opts.yMax } : {}),
          title: { display: true, text: opts.yTitle, color: TICKS },
          ticks: {
            color: TICKS,
            ...(opts.percent ? { callback: (v: string | number) => `${Math.round(Number(v) * 100)}%` } : {}),
          },
          grid: { color: GRID },
        },
      },
      plugins: {
        legend: { labels: { color: TEXT, boxWidth: 14, boxHeight: 2 } },
        tooltip: {
          callbacks: {
            label: (item) => {
              const y = item.parsed.y ?? 0;
              const value = opts.percent ? `${(y * 100).toFixed(1)}%` : y.toFixed(4);
              return `${item.dataset.label ?? ''}: ${value} (epoch ${(item.parsed.x ?? 0).toFixed(2)})`;
            },
          },
        },
      },
    },
  });
}

/** Distinct colours for past runs laid over the live one; every series reads on both schemes' panels (colors.ts). */
export const OVERLAY_COLORS = OVERLAY_SERIES;
export const LIVE_TRAIN = SERIES.train;
export const LIVE_VAL = SERIES.val;

/** A past run's curves laid over the live ones (epoch means mid-epoch, validation at the epoch's end). */
export interface Overlay {
  id: number;
  name: string;
  color: string;
  epoch: Point[];
  val: Point[];
}
