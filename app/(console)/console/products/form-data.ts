// The product form's FormData → the plain input lib/catalog validates. Amounts are typed in
// major units ("48.00") and parsed as text into minor units (no float on the way); numbers
// that are not whole numbers are reported here, under the field's own name, so the form
// can show them inline. Everything else (ranges, slugs, min ≤ max) is lib/catalog's to judge.
import type { FieldErrors } from '@/lib/errors';
import { parseAmount } from '@/lib/money';

export const AGENT_LEVELS = [1, 2, 3, 4, 5, 6, 7] as const;

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export function readProductForm(form: FormData): { input: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const currency = text(form, 'currency').toUpperCase() || 'CNY';

  const amount = (name: string, raw: string): number | undefined => {
    const v = parseAmount(raw, currency);
    if (v === null) errors[name] = { code: 'invalid_amount' };
    return v ?? undefined;
  };
  const whole = (name: string, raw: string, blank: 'null' | 'skip' = 'skip'): number | null | undefined => {
    if (raw === '') return blank === 'null' ? null : undefined;
    if (!/^-?\d{1,9}$/.test(raw)) {
      errors[name] = { code: 'not_integer' };
      return undefined;
    }
    return Number(raw);
  };

  const tierQty = form.getAll('tierMinQty').map((v) => String(v).trim());
  const tierPrice = form.getAll('tierPrice').map((v) => String(v).trim());
  const wholesaleTiers: { minQty: number; unitPrice: number }[] = [];
  tierQty.forEach((q, i) => {
    const p = tierPrice[i] ?? '';
    if (q === '' && p === '') return; // an empty row the merchant added and left
    const minQty = q === '' ? ((errors[`wholesaleTiers.${i}.minQty`] = { code: 'required' }), undefined) : whole(`wholesaleTiers.${i}.minQty`, q);
    const unitPrice = p === '' ? ((errors[`wholesaleTiers.${i}.unitPrice`] = { code: 'required' }), undefined) : amount(`wholesaleTiers.${i}.unitPrice`, p);
    if (minQty != null && unitPrice !== undefined) wholesaleTiers.push({ minQty, unitPrice });
  });

  const agentPrices: Record<string, number> = {};
  for (const level of AGENT_LEVELS) {
    const raw = text(form, `agentPrice${level}`);
    if (raw === '') continue; // no price of its own: the level pays the list price
    const v = amount(`agentPrices.${level}`, raw);
    if (v !== undefined) agentPrices[String(level)] = v;
  }

  const deliveryType = text(form, 'deliveryType') || 'auto';
  const generatorRule =
    deliveryType === 'generated'
      ? {
          prefix: text(form, 'genPrefix'),
          length: whole('generatorRule.length', text(form, 'genLength')),
          charset: text(form, 'genCharset'),
          groups: whole('generatorRule.groups', text(form, 'genGroups')),
          separator: text(form, 'genSeparator'),
        }
      : null;

  const slug = text(form, 'slug');
  const input: Record<string, unknown> = {
    title: String(form.get('title') ?? ''),
    ...(slug ? { slug } : {}),
    categoryId: text(form, 'categoryId') || null,
    price: amount('price', text(form, 'price')),
    currency,
    deliveryType,
    deliveryUrl: deliveryType === 'webhook' ? text(form, 'deliveryUrl') : null,
    active: ['on', 'true'].includes(text(form, 'active')),
    sort: whole('sort', text(form, 'sort')),
    stockAlert: whole('stockAlert', text(form, 'stockAlert')),
    minQty: whole('minQty', text(form, 'minQty')),
    maxQty: whole('maxQty', text(form, 'maxQty')),
    maxPerEmailDay: whole('maxPerEmailDay', text(form, 'maxPerEmailDay'), 'null'),
    wholesaleTiers,
    agentPrices,
    // '' → everyone (the merchant's shop too); a rank → agent shops of that rank and higher only.
    agentMinRank: text(form, 'agentMinRank') === '' ? null : whole('agentMinRank', text(form, 'agentMinRank')),
    generatorRule,
    description: String(form.get('description') ?? ''),
    instructions: String(form.get('instructions') ?? ''),
  };
  return { input, errors };
}
