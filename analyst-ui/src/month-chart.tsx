import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  /** `YYYY-MM` to a count, in order. */
  byMonth: Record<string, number>;
  monthLabel: (month: string) => string;
}

/**
 * Bars of counts per month. The canvas is hidden from assistive technology: the same numbers are
 * in the table beside it. uPlot sizes its elements through the CSSOM, which the CSP allows.
 */
export function MonthChart({ byMonth, monthLabel }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const target = box.current;
    if (!target) return;
    const months = Object.keys(byMonth);
    const xs = months.map((_, n) => n);
    const counts = months.map((m) => byMonth[m] ?? 0);
    const chart = new uPlot(
      {
        width: Math.min(target.clientWidth || 600, 720),
        height: 220,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [-0.5, months.length - 0.5] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
        },
        axes: [
          { values: (_u, ticks) => ticks.map((n) => (Number.isInteger(n) ? monthLabel(months[n] ?? '') : '')) },
          {},
        ],
        series: [
          {},
          {
            stroke: '#1f4e8c',
            fill: '#1f4e8c',
            paths: uPlot.paths.bars?.({ size: [0.7, 48] }),
            points: { show: false },
          },
        ],
      },
      [xs, counts],
      target,
    );
    return () => chart.destroy();
  }, [byMonth, monthLabel]);
  return <div ref={box} class="month-chart" aria-hidden="true" />;
}
