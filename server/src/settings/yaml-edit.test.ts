import { parseDocument } from 'yaml';
import { applyToDocument, changedKeys } from './yaml-edit';

describe('applyToDocument', () => {
  it('changes values and removes keys while keeping comments of unchanged nodes', () => {
    const doc = parseDocument('# head\na: 1 # one\nb:\n  # about c\n  c: 2\n  d: 3\n');
    applyToDocument(doc, { a: 1, b: { c: 5 }, e: 'new' });
    const text = doc.toString();
    expect(text).toContain('# head');
    expect(text).toContain('a: 1 # one');
    expect(text).toContain('# about c');
    expect(doc.toJS()).toEqual({ a: 1, b: { c: 5 }, e: 'new' });
  });

  it('lists changed keys as dotted paths', () => {
    expect(changedKeys({ a: 1, b: { c: 2, d: 3 } }, { a: 1, b: { c: 4 }, e: 1 })).toEqual(['b.c', 'b.d', 'e']);
  });
});
