import { describe, expect, it } from 'vitest';
import { catalogues, negotiateLocale, translate } from './index';

function keys(node: unknown, prefix = ''): string[] {
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('message catalogues', () => {
  it('zh-CN and en have exactly the same keys, none empty', () => {
    expect(keys(catalogues.en).sort()).toEqual(keys(catalogues['zh-CN']).sort());
    for (const locale of ['zh-CN', 'en'] as const) for (const k of keys(catalogues[locale])) expect(translate(locale, k), `${locale} ${k}`).not.toBe('');
  });

  it('chooses the cookie, then Accept-Language, then zh-CN', () => {
    expect(negotiateLocale('en', 'zh-CN')).toBe('en');
    expect(negotiateLocale(undefined, 'en-GB,en;q=0.9')).toBe('en');
    expect(negotiateLocale(undefined, 'zh-TW,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(negotiateLocale('fr', 'fr-FR,de;q=0.9')).toBe('zh-CN');
    expect(negotiateLocale(undefined, null)).toBe('zh-CN');
  });

  it('fills placeholders', () => {
    expect(translate('en', 'home.stock', { count: 7 })).toBe('7 in stock');
    expect(translate('zh-CN', 'home.stock', { count: 7 })).toBe('库存 7');
  });
});
