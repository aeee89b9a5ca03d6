/**
 * A strict XML well-formedness check for the tests (no dependency): one root, every tag closed in
 * order, attributes quoted and unique, only the five predefined entities or character references.
 * Returns the elements seen (name + attributes) or throws with the position of the first problem.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
}

export function parseXml(text: string): XmlElement[] {
  const elements: XmlElement[] = [];
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at offset ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const checkText = (s: string) => {
    const amp = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(s);
    if (amp) fail('bare &');
    if (s.includes('<')) fail('bare <');
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    checkText(chunk);
    if (chunk.trim() && stack.length === 0) fail('text outside the root');
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<?', i)) {
      const e = text.indexOf('?>', i);
      if (e < 0) fail('unclosed processing instruction');
      i = e + 2;
    } else if (text.startsWith('<!--', i)) {
      const e = text.indexOf('-->', i);
      if (e < 0) fail('unclosed comment');
      i = e + 3;
    } else if (text.startsWith('<!DOCTYPE', i)) {
      const e = text.indexOf('>', i);
      i = e + 1;
    } else if (text.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(text.slice(i));
      if (!m) fail('bad end tag');
      const name = m![1]!;
      if (stack.pop() !== name) fail(`mismatched </${name}>`);
      i += m![0].length;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(text.slice(i));
      if (!m) fail('bad start tag');
      const name = m![1]!;
      const attrs: Record<string, string> = {};
      for (const a of m![2]!.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        if (a[1]! in attrs) fail(`duplicate attribute ${a[1]}`);
        const v = a[2] ?? a[3] ?? '';
        checkText(v);
        attrs[a[1]!] = v;
      }
      if (stack.length === 0) {
        roots++;
        if (roots > 1) fail('second root element');
      }
      elements.push({ name, attrs });
      if (!m![3]) stack.push(name);
      i += m![0].length;
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]}>`);
  if (roots !== 1) throw new Error('no root element');
  return elements;
}
