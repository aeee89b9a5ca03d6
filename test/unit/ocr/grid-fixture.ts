/** Grids drawn in code for the grid and sudoku tests. */

export const ROWS = ['500070000', '600195000', '098000060', '800060003', '400803001', '700020006', '060000280', '000419005', '000080079'];
export const CELL = 36;

/**
 * A sudoku drawn in code: thick lines every third cell, and what photos add: remnants of ruling lines
 * inside cells (a second rule beside some lines, ticks from the edges), a shaded cell, grey ink.
 */
export function sudokuSvg(rows: string[]): string {
  const parts: string[] = [];
  for (let i = 0; i <= 9; i++) {
    const w = i % 3 === 0 ? 3 : 1;
    parts.push(`<rect x="30" y="${30 + i * CELL}" width="${9 * CELL}" height="${w}"/><rect x="${30 + i * CELL}" y="30" width="${w}" height="${9 * CELL}"/>`);
  }
  // A shaded cell (row 4, column 4) and a second thin rule just inside the left edge of column 1.
  parts.push(`<rect x="${30 + 4 * CELL}" y="${30 + 4 * CELL}" width="${CELL}" height="${CELL}" fill="#bbb"/>`);
  parts.push(`<rect x="${30 + CELL + 4}" y="30" width="1" height="${9 * CELL}"/>`);
  // Ticks from the top edge of a few cells, empty and filled.
  for (const [r, c] of [[0, 2], [1, 6], [3, 1], [6, 5], [7, 3]] as const) parts.push(`<rect x="${30 + c * CELL + 26}" y="${30 + r * CELL}" width="2" height="6"/>`);
  rows.forEach((r, ri) => [...r].forEach((d, ci) => d !== '0' && parts.push(`<text x="${30 + ci * CELL + 11}" y="${30 + ri * CELL + 28}" fill="#333">${d}</text>`)));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><rect width="100%" height="100%" fill="white"/><g font-family="DejaVu Sans Mono" font-size="26">${parts.join('')}</g></svg>`;
}


/** A plain ruled grid of rows.length × rows[0].length cells, one character per cell ('.' or '0' empty), in black on white. */
export function plainGridSvg(rows: string[], cell = CELL): string {
  const nr = rows.length;
  const nc = rows[0]!.length;
  const parts: string[] = [];
  for (let i = 0; i <= nr; i++) parts.push(`<rect x="30" y="${30 + i * cell}" width="${nc * cell}" height="${i % nr ? 1 : 3}"/>`);
  for (let i = 0; i <= nc; i++) parts.push(`<rect x="${30 + i * cell}" y="30" width="${i % nc ? 1 : 3}" height="${nr * cell}"/>`);
  rows.forEach((r, ri) => [...r].forEach((ch, ci) => ch !== '.' && ch !== '0' && parts.push(`<text x="${30 + ci * cell + 11}" y="${30 + ri * cell + 28}">${ch}</text>`)));
  const w = nc * cell + 60;
  const h = nr * cell + 60;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="white"/><g font-family="DejaVu Sans Mono" font-size="26">${parts.join('')}</g></svg>`;
}
