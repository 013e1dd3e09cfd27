import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { errorSummary, pgError } from './errors';

describe('error summaries', () => {
  it("never carry a failed query's parameters into logs", () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "orders_order_no_unique"'), {
      code: '23505',
      constraint_name: 'orders_order_no_unique',
    });
    const wrapped = new DrizzleQueryError('insert into "orders" values ($1, $2)', ['buyer@example.com', 'SECRET-KEY-123'], cause);
    expect(wrapped.message).toContain('SECRET-KEY-123'); // what drizzle would have logged
    const summary = errorSummary(wrapped);
    expect(summary).not.toContain('SECRET-KEY-123');
    expect(summary).not.toContain('buyer@example.com');
    expect(summary).toContain('duplicate key');
    expect(pgError(wrapped)).toEqual({ code: '23505', constraint: 'orders_order_no_unique' });
  });
});
