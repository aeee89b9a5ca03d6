/** A cursor key's move in the grid. */
export type Move = 'left' | 'right' | 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end';

/**
 * Where a cursor key takes the cursor in a grid of `total` tiles laid out in `cols` columns, `pageRows`
 * rows a screen: up/down at the edges stay in the column; left/right stop at the ends.
 */
export function moveTarget(cur: number, to: Move, total: number, cols: number, pageRows: number): number {
  const step: Record<Move, number> = {
    left: -1,
    right: 1,
    up: -cols,
    down: cols,
    pageUp: -cols * pageRows,
    pageDown: cols * pageRows,
    home: -Infinity,
    end: Infinity,
  };
  let next = cur < 0 ? 0 : cur + step[to];
  if (to === 'home') next = 0;
  if (to === 'end') next = total - 1;
  if (next < 0) next = to === 'up' || to === 'pageUp' ? cur % cols : 0;
  if (next >= total) next = to === 'down' || to === 'pageDown' ? cur : total - 1;
  return Math.max(0, Math.min(total - 1, next));
}
