// Hot statements built once. Building a drizzle query costs more server CPU than running it
// on the hot paths (its `is()` entity checks, walking a ~100-column selection, mapping each row
// through the same checks: 12–15 % of the server's samples during order creation,
// docs/BENCHMARKS.md), and drizzle's own `.prepare()` binds a query to one session (the pool or
// one transaction), so it cannot serve a new transaction per request.
import 'server-only';
import { Column, getTableName, is, Param, Placeholder, sql, SQL, Subquery } from 'drizzle-orm';
import type postgres from 'postgres';
import { rawClient, type DbOrTx } from './client';

/** What drizzle's `.prepare(name)` returns for postgres.js (the fields read here are the driver's own). */
type Prepared = {
  queryString: string;
  params: unknown[];
  fields?: { path: string[]; field: unknown }[];
  joinsNotNullableMap?: Record<string, boolean>;
  customResultMapper?: unknown;
};
type Preparable<R> = { prepare(name: string): { execute(values?: Record<string, unknown>): Promise<R> } };
type Decoder = { mapFromDriverValue(value: unknown): unknown };

/**
 * A drizzle query (select, insert, update with `.returning()` or without) built once, with
 * `sql.placeholder(name)` where its values go, and run on whatever handle a call is given (the
 * pool, a transaction, a pipelined transaction) with that call's values. Results are what the
 * same drizzle query returns. The statement is sent when the function is called, not when it
 * is awaited, so calls made one after another reach the connection in that order (a pipelined
 * transaction relies on it) — and ahead of a drizzle query built before it but awaited after
 * it (a drizzle query is sent when awaited, or a microtask after `Promise.all` takes it): call
 * a compiled statement first where the order matters. Prepared as every other statement of
 * the client is (`DB_PREPARE`). Every failure, even one found before sending (a missing
 * value), is a rejected promise, never a throw: a statement already sent beside it in a
 * `Promise.all` is still awaited by someone.
 *
 * The query is built from the handle of the first call; it must not depend on anything but
 * its placeholders (no `$defaultFn` columns, no value read when building). `V` names the
 * placeholders' values, all required (`undefined` is refused: drizzle would write the
 * column's default, a placeholder can only write NULL or a value):
 * `compiled<{ id: string }>()((db) => db.select()…)`.
 */
export function compiled<V extends Record<string, unknown>>(): <R>(build: (db: DbOrTx) => Preparable<R>) => (on: DbOrTx, values: Given<V>) => Promise<R> {
  return (build) => compile(build);
}

/** An insert's values, each column a placeholder of its own name: `insert(t).values(placeholdersFor<typeof t.$inferInsert>(['id', …]))`. */
export function placeholdersFor<Insert>(columns: readonly (keyof Insert & string)[]): Insert {
  return Object.fromEntries(columns.map((c) => [c, sql.placeholder(c)])) as Insert;
}

/** Every value given: none optional, none undefined (null where the column takes NULL). */
type Given<V> = { [K in keyof V]-?: Exclude<V[K], undefined> };

function compile<V extends Record<string, unknown>, R>(build: (db: DbOrTx) => Preparable<R>): (on: DbOrTx, values: V) => Promise<R> {
  let plan: { text: string; params: (values: V) => unknown[]; map: ((row: unknown[]) => unknown) | null } | null = null;
  return (on, values) => {
    try {
      if (!plan) {
        const q = build(on).prepare('compiled') as unknown as Prepared;
        if (q.customResultMapper) throw new Error('compiled: relational queries are not supported');
        plan = { text: q.queryString, params: paramFiller<V>(q.params), map: q.fields ? rowMapper(q.fields, q.joinsNotNullableMap) : null };
      }
      const { text, map } = plan;
      const query = rawClient(on).unsafe(text, plan.params(values) as postgres.ParameterOrJSON<never>[]);
      if (!map) {
        query.execute();
        return query as unknown as Promise<R>;
      }
      const rows = query.values();
      rows.execute();
      return rows.then((r) => r.map(map) as R);
    } catch (err) {
      return Promise.reject(err as Error);
    }
  };
}

/** The query's parameters for one call: constants as built, placeholders filled (through their column's encoder where they have one). */
function paramFiller<V extends Record<string, unknown>>(params: unknown[]): (values: V) => unknown[] {
  const slots = params.map((p): ((values: V) => unknown) => {
    const slot = (name: string, values: V) => {
      const value = values[name];
      if (value === undefined) throw new Error(`compiled: no value for placeholder "${name}"`);
      return value;
    };
    if (is(p, Placeholder)) return (values) => slot(p.name, values);
    if (is(p, Param) && is(p.value, Placeholder)) {
      const { encoder } = p;
      const name = (p.value as Placeholder).name;
      // As drizzle binds a value it is given directly: null stays NULL, never through the encoder (a jsonb column would make it 'null').
      return (values) => {
        const value = slot(name, values);
        return value === null || !encoder ? value : encoder.mapToDriverValue(value);
      };
    }
    return () => p;
  });
  return (values) => slots.map((fill) => fill(values));
}

/**
 * Maps a row of values to drizzle's result shape, decided once per query: nested objects for
 * `{ product: products, … }` selections, each column through its decoder, and a left-joined
 * table's object `null` where drizzle makes it null (its first column null and the join
 * nullable).
 */
function rowMapper(fields: NonNullable<Prepared['fields']>, notNullable: Prepared['joinsNotNullableMap']): (row: unknown[]) => unknown {
  const columns = fields.map(({ path, field }) => {
    // drizzle's own choice of decoder (mapResultRow); `decoder` is internal to its SQL objects.
    const decoderOf = (s: unknown) => (s as { decoder: Decoder }).decoder;
    const decoder: Decoder = is(field, Column)
      ? field
      : is(field, SQL)
        ? decoderOf(field)
        : is(field, Subquery)
          ? decoderOf((field as unknown as { _: { sql: SQL } })._.sql)
          : decoderOf((field as { sql: SQL }).sql);
    return { path, decoder, table: is(field, Column) && path.length === 2 ? getTableName(field.table) : null };
  });
  // drizzle's rule: an object of a joined table is null when its first column is, all its
  // columns come from that table and the join may be missing.
  const nullable: { name: string; first: number }[] = [];
  if (notNullable) {
    const seen = new Map<string, { first: number; table: string | null }>();
    columns.forEach(({ path, table }, i) => {
      if (path.length !== 2 || !table) return;
      const name = path[0]!;
      const known = seen.get(name);
      if (!known) seen.set(name, { first: i, table });
      else if (known.table !== table) known.table = null;
    });
    for (const [name, { first, table }] of seen) if (table && !notNullable[table]) nullable.push({ name, first });
  }
  return (row) => {
    const out: Record<string, unknown> = {};
    columns.forEach(({ path, decoder }, i) => {
      let node = out;
      for (let j = 0; j < path.length - 1; j++) node = (node[path[j]!] ??= {}) as Record<string, unknown>;
      const raw = row[i];
      node[path[path.length - 1]!] = raw === null ? null : decoder.mapFromDriverValue(raw);
    });
    for (const { name, first } of nullable) if (row[first] === null) out[name] = null;
    return out;
  };
}
