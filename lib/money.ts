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
