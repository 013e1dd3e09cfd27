import 'server-only';
import type { DbOrTx } from '@/db/client';
import type { Order } from '@/db/schema';
import { openFromText, sealedIn } from '@/lib/crypto';
import { revealOrderKeys } from '@/lib/inventory';

/**
 * Everything delivered for an order, one item a line: its sold keys, then the text the
 * merchant delivered by hand (stored sealed like keys). The buyer's page, the delivery
 * e-mail and the console's reveal all read it here, so they show the same thing.
 */
export async function deliveredItems(db: DbOrTx, order: Pick<Order, 'id' | 'merchantId' | 'manualDelivery'>): Promise<string[]> {
  const keys = await revealOrderKeys(db, order.id);
  return [...keys, ...manualDeliveryLines(order)];
}

function manualDeliveryLines(order: Pick<Order, 'id' | 'merchantId' | 'manualDelivery'>): string[] {
  if (!order.manualDelivery) return [];
  return openFromText(order.manualDelivery, sealedIn.manualDelivery(order))
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
}
