import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from './csv';

describe('order CSV cells', () => {
  it('neutralises cells a spreadsheet would evaluate as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('a@b.test')).toBe('a@b.test');
  });
  it('quotes commas, quotes and line breaks; empty for null', () => {
    expect(csvRow(['a,b', 'say "hi"', 'two\nlines', null, 3])).toBe('"a,b","say ""hi""","two\nlines",,3\r\n');
  });
});
