// What the storefront shows of a product's stock: available keys counted up to a cap, and the
// keys unpaid orders hold only where the shelf is low (where a hoard could make it look sold out).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder } from '@/lib/orders';
import { LOW_STOCK, shelfCounts } from '@/lib/inventory';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDatabase({ max: 5 });
});
afterAll(async () => dropTestDatabase(t));

describe('shelf counts', () => {
  it('a low shelf shows what unpaid orders hold; a well-stocked one does not count them; both capped', async () => {
    const m = await seedMerchant(t.db);
    const low = await seedProduct(t.db, m.merchantId, { keys: 5 });
    const stocked = await seedProduct(t.db, m.merchantId, { keys: LOW_STOCK + 10 });
    const hold = (productId: string, quantity: number) =>
      createOrder(t.db, { productId, quantity, email: `h${quantity}@example.test`, channel: m.demoChannelId }, { merchantId: m.merchantId });
    await hold(low.id, 3);
    await hold(stocked.id, 4);
    const counts = await shelfCounts(t.db, [low.id, stocked.id], 50);
    expect(counts.get(low.id)).toEqual({ available: 2, reserved: 3 });
    // 106 available, capped at 50 for the listing; its 4 reserved are not counted (plenty left).
    expect(counts.get(stocked.id)).toEqual({ available: 50, reserved: 0 });
    expect((await shelfCounts(t.db, [stocked.id])).get(stocked.id)).toEqual({ available: LOW_STOCK + 6, reserved: 0 });
  });
});
