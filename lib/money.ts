// Money is integer minor units plus a currency; formatting happens only at the edge.
const fractionDigits: Record<string, number> = { JPY: 0, KRW: 0 };

export function formatAmount(amount: number, currency: string, locale = 'zh-CN'): string {
  const digits = fractionDigits[currency] ?? 2;
  const value = amount / 10 ** digits;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  } catch {
    // Codes Intl does not know (e.g. USDT).
    return `${value.toFixed(digits)} ${currency}`;
  }
}

/** Digits after the decimal point of a currency's major unit (2 unless listed). */
export function minorDigits(currency: string): number {
  return fractionDigits[currency] ?? 2;
}

function toMinor(whole: string, frac: string, digits: number): number | null {
  if (frac.length > digits) return null;
  const value = BigInt(whole) * 10n ** BigInt(digits) + BigInt(frac.padEnd(digits, '0') || '0');
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(value);
}

/**
 * A typed amount in major units ("48", "48.5", "48.00", "1,299.00") → integer minor units, or null
 * when it is not a plain non-negative decimal with at most the currency's digits. Parsed as
 * text, never through a float, so 0.1 + 0.2 style drift cannot creep into a price.
 */
export function parseAmount(text: string, currency: string): number | null {
  const m = /^(\d{1,12})(?:\.(\d*))?$/.exec(text.trim().replace(/[,\s]/g, ''));
  return m ? toMinor(m[1]!, m[2] ?? '', minorDigits(currency)) : null;
}

/**
 * An amount a payment provider sent ("12.34", "12.3", "12") → minor units, strictly: digits
 * with at most one dot and the currency's digits, nothing else (no signs, spaces or grouping).
 */
export function parseExactAmount(text: string | undefined, currency: string): number | null {
  if (text === undefined) return null;
  const m = /^(\d{1,12})(?:\.(\d{1,9}))?$/.exec(text);
  return m ? toMinor(m[1]!, m[2] ?? '', minorDigits(currency)) : null;
}

/** Minor units → the plain text a form field shows ("4800", CNY → "48.00"), without symbol or grouping. */
export function amountToInput(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const abs = String(Math.abs(amount)).padStart(digits + 1, '0');
  return `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}
