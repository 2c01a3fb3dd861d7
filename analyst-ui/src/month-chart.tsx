import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  /** The bars in order: what each is called on the axis, and its count. */
  bars: readonly (readonly [label: string, count: number])[];
  colour?: string;
}

/**
 * Bars of counts by a category (months, countries). The canvas is hidden from assistive technology:
 * the same numbers are in the tables beside it. uPlot sizes its elements through the CSSOM, which
 * the CSP allows; the printed page scales the canvas to its column (statistics.css).
 */
export function BarChart({ bars, colour = '#1f4e8c' }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const target = box.current;
    if (!target) return;
    const labels = bars.map(([label]) => label);
    const chart = new uPlot(
      {
        width: Math.min(target.clientWidth || 600, 720),
        height: 220,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [-0.5, bars.length - 0.5] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
        },
        axes: [{ values: (_u, ticks) => ticks.map((n) => (Number.isInteger(n) ? (labels[n] ?? '') : '')) }, {}],
        series: [
          {},
          {
            stroke: colour,
            fill: colour,
            paths: uPlot.paths.bars?.({ size: [0.7, 48] }),
            points: { show: false },
          },
        ],
      },
      [bars.map((_, n) => n), bars.map(([, count]) => count)],
      target,
    );
    return () => chart.destroy();
  }, [bars, colour]);
  return <div ref={box} class="bar-chart" aria-hidden="true" />;
}
