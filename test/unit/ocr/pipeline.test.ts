import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPages } from '../../../main/core/ocr/load-pages';
import { toAlto, toFileJson, toHocr, toText } from '../../../main/core/ocr/export';
import { recognize } from '../../../main/core/ocr/recognize';
import type { OcrPageResult as PageResult } from '../../../main/common/contract/ocr';
import { pageSvg, renderPng, templateClassifier } from './fixtures';
import { parseXml } from './xml';

// Letters the template stand-in tells apart reliably in DejaVu Sans Mono (no O/0, I/1 pairs).
const TEXT = ['HEAVY 2649 BRUSH', 'FAX 7 JUMPS GRAND', 'LAZY DEW 3815 KT'];

describe('recognize (stand-in classifier)', () => {
  let cls: Awaited<ReturnType<typeof templateClassifier>>;
  let result: PageResult;
  beforeAll(async () => {
    cls = await templateClassifier();
    const page = pageSvg({ lines: TEXT, grid: true });
    const [p] = await loadPages(await renderPng(page, 0), 'grid.png');
    result = await recognize(p!, cls);
  });

  it('reads a ruled page line by line, in order, with spaces, classifying in one batch', () => {
    expect(result.lines.map((l) => l.text)).toEqual(TEXT);
    expect(result.text).toBe(TEXT.join('\n'));
    expect(cls.calls).toBe(1);
  });

  it('keeps top-3 alternatives with confidences, best first, and timings per stage', () => {
    for (const c of result.lines.flatMap((l) => l.chars)) {
      expect(c.alternatives).toHaveLength(3);
      expect(c.alternatives[0]!.char).toBe(c.char);
      expect(c.alternatives[0]!.confidence).toBe(c.confidence);
      expect(c.alternatives[1]!.confidence).toBeLessThanOrEqual(c.alternatives[0]!.confidence);
    }
    for (const k of ['binarize', 'deskew', 'lines', 'components', 'segment', 'order', 'classify', 'total'] as const) {
      expect(result.timings[k]).toBeGreaterThanOrEqual(0);
    }
  });

  it('returns crops that are the model input (white on black) when asked', async () => {
    const [p] = await loadPages(await renderPng(pageSvg({ lines: ['AB'] })), 'ab.png');
    const r = await recognize(p!, cls, { crops: true });
    const crop = r.lines[0]!.chars[0]!.crop!;
    const meta = await sharp(Buffer.from(crop, 'base64')).metadata();
    const { data, info } = await sharp(Buffer.from(crop, 'base64')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(meta.channels).toBe(1);
    expect([info.width, info.height]).toEqual([28, 28]);
    expect(data[0]).toBe(0); // background corner is black
    expect(Math.max(...data)).toBe(255);
  });

  it('exports hOCR and ALTO that are well-formed, with every box inside the page', () => {
    const hocr = parseXml(toHocr([result], 'grid.png'));
    const boxes = hocr.filter((e) => /ocr_line|ocrx_word|ocrx_cinfo/.test(e.attrs.class ?? '')).map((e) => /bbox (\d+) (\d+) (\d+) (\d+)/.exec(e.attrs.title ?? ''));
    expect(boxes.length).toBeGreaterThan(40);
    for (const m of boxes) {
      const [x0, y0, x1, y1] = m!.slice(1).map(Number) as [number, number, number, number];
      expect(x0).toBeGreaterThanOrEqual(0);
      expect(y0).toBeGreaterThanOrEqual(0);
      expect(x1).toBeLessThanOrEqual(result.width);
      expect(y1).toBeLessThanOrEqual(result.height);
      expect(x1).toBeGreaterThan(x0);
    }
    expect(hocr.filter((e) => e.attrs.class === 'ocrx_word')).toHaveLength(TEXT.join(' ').split(' ').length);

    const alto = parseXml(toAlto([result]));
    expect(alto[0]!.name).toBe('alto');
    const strings = alto.filter((e) => e.name === 'String').map((e) => e.attrs.CONTENT);
    expect(strings.join(' ')).toBe(TEXT.join(' '));
    for (const e of alto.filter((x) => 'HPOS' in x.attrs)) {
      const [x, y, w, h] = ['HPOS', 'VPOS', 'WIDTH', 'HEIGHT'].map((k) => Number(e.attrs[k]));
      expect(x! + w!).toBeLessThanOrEqual(result.width);
      expect(y! + h!).toBeLessThanOrEqual(result.height);
      expect(Math.min(x!, y!, w!, h!)).toBeGreaterThanOrEqual(0);
    }
  });

  it('escapes markup in sources and characters', () => {
    const page: PageResult = { ...result, source: 'a<b>&"c".png', lines: [{ text: '<&', box: [1, 1, 4, 4], confidence: 0.5, words: [{ text: '<&', box: [1, 1, 4, 4], confidence: 0.5 }], chars: [
      { char: '<', box: [1, 1, 2, 4], confidence: 0.5, alternatives: [{ char: '<', confidence: 0.5 }] },
      { char: '&', box: [3, 1, 2, 4], confidence: 0.5, alternatives: [{ char: '&', confidence: 0.5 }] },
    ] }] };
    expect(() => parseXml(toHocr([page], page.source))).not.toThrow();
    expect(parseXml(toAlto([page])).find((e) => e.name === 'String')!.attrs.CONTENT).toBe('&lt;&amp;');
  });

  it('text has one line per recognized line; JSON carries file, text, lines with boxes and chars', () => {
    expect(toText([result]).split('\n').slice(0, -1)).toEqual(TEXT);
    const json = toFileJson('grid.png', [result], 12.4);
    expect(json.file).toBe('grid.png');
    expect(json.ms).toBe(12);
    expect(json.lines.map((l) => l.text)).toEqual(TEXT);
    expect(Object.keys(json.lines[0]!.chars[0]!).sort()).toEqual(['alternatives', 'box', 'char', 'confidence']);
  });
});
