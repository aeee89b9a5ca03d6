import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileUnder } from '../../../main/host/request-path';

describe('fileUnder (bridge static files and the app:// protocol)', () => {
  const root = path.resolve('/srv/renderer');

  it('gives null (400) for targets that cannot be parsed, instead of throwing', () => {
    for (const t of ['/%', '/%00', '/a%E0%A4%A', 'app://glyphlab/%', 'app://glyphlab/x%00.png', '//a b:1/', 'http://[::1/']) {
      expect(fileUnder(root, t), t).toBeNull();
    }
  });

  it('resolves files under the root and flags what escapes it', () => {
    expect(fileUnder(root, '/')).toBe(path.join(root, 'index.html'));
    expect(fileUnder(root, 'app://glyphlab/assets/a%20b.js')).toBe(path.join(root, 'assets', 'a b.js'));
    expect(fileUnder(root, '/%2e%2e/%2e%2e/etc/passwd')).toBe(path.join(root, 'etc', 'passwd')); // dot segments are resolved by the URL
    expect(fileUnder(root, '/..%2f..%2fetc%2fpasswd')).toBe('outside');
  });
});
