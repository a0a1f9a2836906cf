import { describe, expect, it } from 'vitest';
import { minorUnits as serverDigits } from '../../src/domain/money.ts';
import { nonDecimalCurrencies, minorUnits as webDigits } from '../../web/src/money.ts';

// The portal shows an invoice at the precision the server rounded it to: both tables must agree.
describe('currency minor units in the portal and on the server', () => {
  it('agree for every currency either side lists, and for the usual ones', () => {
    const codes = [
      ...nonDecimalCurrencies.zero,
      ...nonDecimalCurrencies.three,
      ...Intl.supportedValuesOf('currency'),
    ];
    for (const code of codes) expect(webDigits(code), code).toBe(serverDigits(code));
    expect(webDigits('IDR')).toBe(2);
    expect(webDigits('jpy')).toBe(0);
    expect(webDigits('KWD')).toBe(3);
  });
});
