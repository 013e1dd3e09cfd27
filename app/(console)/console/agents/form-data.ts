// The agent programme's forms → the plain input lib/agents validates. Merchants type
// percentages ("5", "12.5") where the domain keeps basis points, and yuan ("10", "-3.50")
// where it keeps fen; both are parsed as text, never through a float. What cannot be read
// is reported as field codes, in the form's words, before the domain sees anything.
import { AppError, type FieldErrors } from '@/lib/errors';
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';
import { parseAmount } from '@/lib/money';

export const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/** Collects the fields a form could not read; `refuse` throws them as one `validation_failed`. */
export class FormReader {
  readonly errors: FieldErrors = {};
  constructor(
    readonly form: FormData,
    readonly currency: string,
  ) {}

  text(name: string): string {
    return text(this.form, name);
  }

  /** A percentage with at most two decimals → basis points; blank → `blank`. */
  bp(name: string, blank: number | null = null): number | null {
    const raw = this.text(name).replace(/[%\s]/g, '');
    if (raw === '') return blank;
    const m = /^(\d{1,6})(?:\.(\d{0,2}))?$/.exec(raw);
    if (!m) {
      this.errors[name] = { code: 'invalid_format' };
      return null;
    }
    return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  }

  /** A non-negative amount in yuan → fen; blank → `blank`. */
  amount(name: string, blank: number | null = null): number | null {
    const raw = this.text(name);
    if (raw === '') return blank;
    const v = parseAmount(raw, this.currency);
    if (v === null) this.errors[name] = { code: 'invalid_amount' };
    return v;
  }

  /** An amount that may be negative ("-3.50", "−3.50") → fen; blank is `required`. */
  signedAmount(name: string): number | null {
    const raw = this.text(name).replace(/^[−–]/, '-');
    if (raw === '') {
      this.errors[name] = { code: 'required' };
      return null;
    }
    const negative = raw.startsWith('-');
    const v = parseAmount(negative ? raw.slice(1) : raw.replace(/^\+/, ''), this.currency);
    if (v === null) {
      this.errors[name] = { code: 'invalid_format' };
      return null;
    }
    return negative ? -v : v;
  }

  /** A whole number; blank → `blank`. */
  whole(name: string, blank: number | null = null): number | null {
    const raw = this.text(name);
    if (raw === '') return blank;
    if (!/^\d{1,9}$/.test(raw)) {
      this.errors[name] = { code: 'not_integer' };
      return null;
    }
    return Number(raw);
  }

  /** A rank from a select (1–7); anything else is `invalid_choice`. */
  rank(name = 'rank'): number | undefined {
    const raw = this.text(name);
    if (!/^[1-7]$/.test(raw)) {
      this.errors[name] = { code: raw === '' ? 'required' : 'invalid_choice' };
      return undefined;
    }
    return Number(raw);
  }

  /**
   * A `YYYY-MM-DD` day → the last moment of that day in the business time zone (an expiry
   * date includes its day); blank → null.
   */
  endOfDay(name: string): string | null {
    const raw = this.text(name);
    if (raw === '') return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`))) {
      this.errors[name] = { code: 'invalid_date' };
      return null;
    }
    return endOfBusinessDay(raw);
  }

  checked(name: string): boolean {
    const v = this.form.get(name);
    return v === 'on' || v === 'true' || v === '1';
  }

  /** Throws what could not be read as one `validation_failed` (the domain judges the rest once these are mended). */
  refuse(): void {
    if (Object.keys(this.errors).length > 0) throw new AppError('validation_failed', 'Invalid form.', { fields: this.errors });
  }
}

/** The next midnight after a business day, as an instant: an expiry on that day includes all of it. */
export function endOfBusinessDay(day: string): string {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  // The zone's offset on that day ("GMT+08:00"), read from Intl so a zone with daylight saving is right too.
  const zone = new Intl.DateTimeFormat('en-US', { timeZone: BUSINESS_TIME_ZONE, timeZoneName: 'longOffset' })
    .formatToParts(new Date(next.getTime() + 12 * 3600_000))
    .find((p) => p.type === 'timeZoneName')?.value;
  const offset = /GMT([+-]\d{2}):(\d{2})/.exec(zone ?? '');
  const minutes = offset ? Number(offset[1]) * 60 + Math.sign(Number(offset[1]) || 1) * Number(offset[2]) : 0;
  return new Date(next.getTime() - minutes * 60_000).toISOString();
}
