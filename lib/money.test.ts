import { describe, expect, it } from 'vitest';
import { amountToInput, parseAmount } from './money';

describe('parseAmount', () => {
  it('reads yuan text as exact fen, without float drift', () => {
    expect(parseAmount('48.00', 'CNY')).toBe(4800);
    expect(parseAmount('48', 'CNY')).toBe(4800);
    expect(parseAmount('48.5', 'CNY')).toBe(4850);
    expect(parseAmount(' 0.29 ', 'CNY')).toBe(29); // 0.29 * 100 is 28.999999999999996 as a float
    expect(parseAmount('1,299.99', 'CNY')).toBe(129999);
    expect(parseAmount('19.', 'CNY')).toBe(1900);
    expect(parseAmount('0', 'USD')).toBe(0);
  });
  it("refuses what is not a plain non-negative amount with the currency's digits", () => {
    for (const bad of ['', '-1', '1.234', 'abc', '1e3', '.5', '12.3.4', '+5', '0x10', '１２']) expect(parseAmount(bad, 'CNY')).toBeNull();
    expect(parseAmount('100.5', 'JPY')).toBeNull();
    expect(parseAmount('100', 'JPY')).toBe(100);
  });
});

describe('amountToInput', () => {
  it('shows minor units as plain major-unit text', () => {
    expect(amountToInput(4800, 'CNY')).toBe('48.00');
    expect(amountToInput(5, 'CNY')).toBe('0.05');
    expect(amountToInput(0, 'CNY')).toBe('0.00');
    expect(amountToInput(1500, 'JPY')).toBe('1500');
    expect(parseAmount(amountToInput(123456789, 'CNY'), 'CNY')).toBe(123456789);
  });
});
