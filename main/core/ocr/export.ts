import type { OcrDocument } from '../../common/contract/ocr';
import type { PageResult } from './types';

export const EXPORT_FORMATS = ['text', 'json', 'hocr', 'alto'] as const;
export type OcrExportFormat = (typeof EXPORT_FORMATS)[number];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Clamps a box to the page (every exported box lies inside it). */
function clamp(box: [number, number, number, number], page: PageResult): [number, number, number, number] {
  const x0 = Math.max(0, Math.min(page.width, box[0]));
  const y0 = Math.max(0, Math.min(page.height, box[1]));
  const x1 = Math.max(x0, Math.min(page.width, box[0] + box[2]));
  const y1 = Math.max(y0, Math.min(page.height, box[1] + box[3]));
  return [x0, y0, x1 - x0, y1 - y0];
}

/** Plain text: one line of text per recognized line (pages one after another); nothing when none. */
export function toText(pages: PageResult[]): string {
  return pages.flatMap((p) => p.lines.map((l) => `${l.text}\n`)).join('');
}

/** Words of a line: runs of characters between spaces, with their character indexes. */
function words(text: string): string[] {
  return text.split(' ').filter((w) => w.length > 0);
}

/** hOCR 1.2 (XHTML): ocr_page > ocr_line > ocrx_word > ocrx_cinfo, bbox x0 y0 x1 y1, x_wconf. */
export function toHocr(pages: PageResult[], title = 'glyphlab OCR'): string {
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">');
  out.push('<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">');
  out.push(`<head><title>${esc(title)}</title><meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>`);
  out.push('<meta name="ocr-system" content="glyphlab"/><meta name="ocr-capabilities" content="ocr_page ocr_line ocrx_word ocrx_cinfo"/></head>');
  out.push('<body>');
  const bbox = (b: [number, number, number, number]) => `bbox ${b[0]} ${b[1]} ${b[0] + b[2]} ${b[1] + b[3]}`;
  pages.forEach((p, pi) => {
    out.push(`<div class="ocr_page" id="page_${pi + 1}" title="image &quot;${esc(p.source)}&quot;; ppageno ${p.index}; ${bbox([0, 0, p.width, p.height])}">`);
    p.lines.forEach((l, li) => {
      out.push(`<span class="ocr_line" id="line_${pi + 1}_${li + 1}" title="${bbox(clamp(l.box, p))}">`);
      let ci = 0;
      words(l.text).forEach((word, wi) => {
        const chars = l.chars.slice(ci, ci + [...word].length);
        ci += chars.length;
        const wb = union(chars.map((c) => clamp(c.box, p)));
        const conf = Math.round((100 * chars.reduce((a, c) => a + c.confidence, 0)) / Math.max(1, chars.length));
        const inner = chars
          .map((c) => `<span class="ocrx_cinfo" title="${bbox(clamp(c.box, p))}; x_conf ${(100 * c.confidence).toFixed(1)}">${esc(c.char)}</span>`)
          .join('');
        out.push(`<span class="ocrx_word" id="word_${pi + 1}_${li + 1}_${wi + 1}" title="${bbox(wb)}; x_wconf ${conf}">${inner}</span>`);
      });
      out.push('</span>');
    });
    out.push('</div>');
  });
  out.push('</body></html>');
  return out.join('\n') + '\n';
}

/** ALTO v4 XML: Page > PrintSpace > TextBlock > TextLine > String (+ Glyph) / SP; pixel units. */
export function toAlto(pages: PageResult[]): string {
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push('<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.loc.gov/standards/alto/ns-v4# http://www.loc.gov/standards/alto/v4/alto-4-2.xsd">');
  out.push('<Description><MeasurementUnit>pixel</MeasurementUnit>');
  out.push(`<sourceImageInformation><fileName>${esc(pages[0]?.source ?? '')}</fileName></sourceImageInformation>`);
  out.push('<OCRProcessing ID="OCR_0"><ocrProcessingStep><processingSoftware><softwareName>glyphlab</softwareName></processingSoftware></ocrProcessingStep></OCRProcessing>');
  out.push('</Description><Layout>');
  const pos = (b: [number, number, number, number]) => `HPOS="${b[0]}" VPOS="${b[1]}" WIDTH="${b[2]}" HEIGHT="${b[3]}"`;
  pages.forEach((p, pi) => {
    out.push(`<Page ID="P${pi + 1}" PHYSICAL_IMG_NR="${p.index + 1}" WIDTH="${p.width}" HEIGHT="${p.height}">`);
    out.push(`<PrintSpace ${pos([0, 0, p.width, p.height])}>`);
    if (p.lines.length) {
      out.push(`<TextBlock ID="P${pi + 1}_B1" ${pos(union(p.lines.map((l) => clamp(l.box, p))))}>`);
      p.lines.forEach((l, li) => {
        out.push(`<TextLine ID="P${pi + 1}_L${li + 1}" ${pos(clamp(l.box, p))}>`);
        let ci = 0;
        words(l.text).forEach((word, wi) => {
          const chars = l.chars.slice(ci, ci + [...word].length);
          ci += chars.length;
          if (wi > 0) out.push('<SP/>');
          const wb = union(chars.map((c) => clamp(c.box, p)));
          const wc = chars.reduce((a, c) => a + c.confidence, 0) / Math.max(1, chars.length);
          const glyphs = chars.map((c) => `<Glyph CONTENT="${esc(c.char)}" GC="${c.confidence.toFixed(4)}" ${pos(clamp(c.box, p))}/>`).join('');
          out.push(`<String ID="P${pi + 1}_L${li + 1}_W${wi + 1}" CONTENT="${esc(word)}" WC="${wc.toFixed(4)}" ${pos(wb)}>${glyphs}</String>`);
        });
        out.push('</TextLine>');
      });
      out.push('</TextBlock>');
    }
    out.push('</PrintSpace></Page>');
  });
  out.push('</Layout></alto>');
  return out.join('\n') + '\n';
}

function union(boxes: [number, number, number, number][]): [number, number, number, number] {
  if (!boxes.length) return [0, 0, 0, 0];
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y, w, h] of boxes) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + w);
    y1 = Math.max(y1, y + h);
  }
  return [x0, y0, x1 - x0, y1 - y0];
}

/** The CLI's/contract's JSON shape of one file: its pages' lines together. */
export interface OcrFileJson {
  file: string;
  text: string;
  lines: { text: string; box: [number, number, number, number]; chars: { char: string; box: [number, number, number, number]; confidence: number; alternatives: { char: string; confidence: number }[] }[] }[];
  ms: number;
}

export function toFileJson(file: string, pages: PageResult[], ms: number): OcrFileJson {
  const lines = pages.flatMap((p) =>
    p.lines.map((l) => ({
      text: l.text,
      box: l.box,
      chars: l.chars.map((c) => ({ char: c.char, box: c.box, confidence: c.confidence, alternatives: c.alternatives })),
    })),
  );
  return { file, text: lines.map((l) => l.text).join('\n'), lines, ms: Math.round(ms) };
}

/** A document (the contract's shape) in one of the export formats. */
export function exportDocument(doc: OcrDocument, format: OcrExportFormat): string {
  const pages = doc.pages as unknown as PageResult[];
  if (format === 'json') return JSON.stringify(toFileJson(doc.file, pages, doc.ms)) + '\n';
  return exportPages(pages, format, doc.file);
}

export function exportPages(pages: PageResult[], format: OcrExportFormat, file = pages[0]?.source ?? ''): string {
  switch (format) {
    case 'text':
      return toText(pages);
    case 'json':
      return JSON.stringify(toFileJson(file, pages, pages.reduce((a, p) => a + p.timings.total, 0))) + '\n';
    case 'hocr':
      return toHocr(pages, file);
    case 'alto':
      return toAlto(pages);
  }
}
