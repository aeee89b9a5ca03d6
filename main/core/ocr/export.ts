import type { OcrBox, OcrDocument, OcrFormat, OcrLineResult, OcrPageResult as PageResult } from '../../common/contract/ocr';
import { unionBox as union } from './box';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Clamps a box to the page (every exported box lies inside it). */
function clamp(box: OcrBox, page: PageResult): OcrBox {
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

/** A line's words with their characters (the reader's words follow its characters in order). */
function wordsOf(l: OcrLineResult): { text: string; box: OcrBox; confidence: number; chars: OcrLineResult['chars'] }[] {
  let ci = 0;
  return l.words.map((w) => {
    const chars = l.chars.slice(ci, ci + [...w.text].length);
    ci += chars.length;
    return { ...w, chars };
  });
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
  const bbox = (b: OcrBox) => `bbox ${b[0]} ${b[1]} ${b[0] + b[2]} ${b[1] + b[3]}`;
  pages.forEach((p, pi) => {
    out.push(`<div class="ocr_page" id="page_${pi + 1}" title="image &quot;${esc(p.source)}&quot;; ppageno ${p.index}; ${bbox([0, 0, p.width, p.height])}">`);
    p.lines.forEach((l, li) => {
      out.push(`<span class="ocr_line" id="line_${pi + 1}_${li + 1}" title="${bbox(clamp(l.box, p))}">`);
      wordsOf(l).forEach(({ chars, confidence }, wi) => {
        const wb = union(chars.map((c) => clamp(c.box, p)));
        const conf = Math.round(100 * confidence);
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
  const pos = (b: OcrBox) => `HPOS="${b[0]}" VPOS="${b[1]}" WIDTH="${b[2]}" HEIGHT="${b[3]}"`;
  pages.forEach((p, pi) => {
    out.push(`<Page ID="P${pi + 1}" PHYSICAL_IMG_NR="${p.index + 1}" WIDTH="${p.width}" HEIGHT="${p.height}">`);
    out.push(`<PrintSpace ${pos([0, 0, p.width, p.height])}>`);
    if (p.lines.length) {
      out.push(`<TextBlock ID="P${pi + 1}_B1" ${pos(union(p.lines.map((l) => clamp(l.box, p))))}>`);
      p.lines.forEach((l, li) => {
        out.push(`<TextLine ID="P${pi + 1}_L${li + 1}" ${pos(clamp(l.box, p))}>`);
        wordsOf(l).forEach(({ text: word, chars, confidence: wc }, wi) => {
          if (wi > 0) out.push('<SP/>');
          const wb = union(chars.map((c) => clamp(c.box, p)));
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

/** The CLI's/contract's JSON shape of one file: its pages' lines together. */
export interface OcrFileJson {
  file: string;
  profile: string;
  text: string;
  lines: (Pick<OcrLineResult, 'text' | 'box' | 'confidence' | 'words'> & { chars: Omit<OcrLineResult['chars'][number], 'crop'>[] })[];
  ms: number;
}

export function toFileJson(file: string, pages: PageResult[], ms: number): OcrFileJson {
  const lines = pages.flatMap((p) =>
    p.lines.map((l) => ({
      text: l.text,
      box: l.box,
      confidence: l.confidence,
      words: l.words,
      chars: l.chars.map((c) => ({ char: c.char, box: c.box, confidence: c.confidence, alternatives: c.alternatives })),
    })),
  );
  return { file, profile: pages[0]?.profile ?? 'text', text: lines.map((l) => l.text).join('\n'), lines, ms: Math.round(ms) };
}

/** A document (the contract's shape) in one of the export formats. */
export function exportDocument(doc: OcrDocument, format: OcrFormat): string {
  const pages = doc.pages;
  if (format === 'json') return JSON.stringify(toFileJson(doc.file, pages, doc.ms)) + '\n';
  return exportPages(pages, format, doc.file);
}

export function exportPages(pages: PageResult[], format: OcrFormat, file = pages[0]?.source ?? ''): string {
  switch (format) {
    case 'text':
      return toText(pages);
    case 'json':
      return JSON.stringify(toFileJson(file, pages, pages.reduce((a, p) => a + (p.timings.total ?? 0), 0))) + '\n';
    case 'hocr':
      return toHocr(pages, file);
    case 'alto':
      return toAlto(pages);
  }
}
