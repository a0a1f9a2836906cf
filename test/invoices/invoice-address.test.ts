import { describe, expect, it } from 'vitest';
import { addressLines } from '../../src/services/invoice-documents.ts';

// A printed invoice names the customer's country in the document's language, not its ISO code.
describe('the bill-to address on an invoice document', () => {
  it('ends with the country in words, in the language of the document', () => {
    const billTo = { address: ['1 Demo Street', '10110 Jakarta', 'ID'], country: 'ID' };
    expect(addressLines(billTo, 'en')).toEqual(['1 Demo Street', '10110 Jakarta', 'Indonesia']);
    const us = { address: ['1 Main St', '98101 Seattle', 'WA, US'], country: 'US' };
    expect(addressLines(us, 'en').at(-1)).toBe('WA, United States');
    expect(addressLines(us, 'id').at(-1)).toBe('WA, Amerika Serikat');
    // A line that merely contains the code is left alone; so is an address without it.
    expect(addressLines({ address: ['IDX Tower'], country: 'ID' }, 'en')).toEqual(['IDX Tower']);
  });
});
