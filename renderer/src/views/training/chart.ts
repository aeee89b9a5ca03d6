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

export type { Point };

export type LineDataset = ChartDataset<'line', Point[]>;

export interface CurveOptions {
  yTitle: string;
  /** Fixed y range (accuracy: 0..1). */
  yMin?: number;
  yMax?: number;
  percent?: boolean;
}

const GRID = 'rgba(255,255,255,0.08)';
const TICKS = '#9aa3b2';

export function createCurveChart(canvas: HTMLCanvasElement, opts: CurveOptions): Chart<'line', Point[]> {
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
        legend: { labels: { color: '#e6e8ee', boxWidth: 14, boxHeight: 2 } },
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

/** Distinct colours for past runs laid over the live one. */
export const OVERLAY_COLORS = ['#d2a8ff', '#f0883e', '#56d4dd', '#e3b341', '#ff7b72', '#7ee787', '#79c0ff', '#ffa198'];
export const LIVE_TRAIN = '#4c8dff';
export const LIVE_VAL = '#3fb950';

/** A past run's curves laid over the live ones (epoch means mid-epoch, validation at the epoch's end). */
export interface Overlay {
  id: number;
  name: string;
  color: string;
  epoch: Point[];
  val: Point[];
}
