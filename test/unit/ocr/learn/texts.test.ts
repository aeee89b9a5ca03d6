import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../main/core/db/open';
import { codesLanguageModel, defaultLanguageModel, setLearnedLanguageModel, shippedLanguageModel } from '../../../../main/core/ocr/reader/language';
import { documentTexts, rememberText } from '../../../../main/core/ocr/learn/texts';
import { tmpDir } from '../../../helpers/tmp';

afterEach(() => setLearnedLanguageModel(null));

describe("the reader's language model learns from transcripts", () => {
  it('a transcript makes its own words likelier (a name no word list has), the shipped counts stay', () => {
    const t = tmpDir();
    const db = openDatabase(path.join(t.dir, 'g.db'));
    try {
      const shipped = shippedLanguageModel();
      expect(shipped).not.toBeNull();
      const before = defaultLanguageModel()!.logProb(' QXZ', 'W');
      rememberText(db, 'a.png', 'Qxzw 7741');
      rememberText(db, 'a.png', 'QXZW 7741'); // the latest text of a document replaces the earlier one
      expect(documentTexts(db)).toEqual(['QXZW 7741']);
      const after = defaultLanguageModel()!.logProb(' QXZ', 'W');
      expect(after).toBeGreaterThan(before + 1);
      expect(shippedLanguageModel()!.logProb(' QXZ', 'W')).toBe(before);
      // Codes (the plate profile) learn from the person's texts alone: after 7, 741 is likelier than 7 then a letter.
      const codes = codesLanguageModel()!;
      expect(codes.logProb('QXZW 77', '4')).toBeGreaterThan(codes.logProb('QXZW 77', 'A') + 1);
      // Common English is still what it was, near enough.
      expect(Math.abs(defaultLanguageModel()!.logProb(' ROO', 'M') - shipped!.logProb(' ROO', 'M'))).toBeLessThan(0.05);
    } finally {
      db.close();
      t.cleanup();
    }
  });
});
