import { useTranslations } from 'next-intl';
import type { CouponListRow } from '@/lib/coupons';
import { Badge } from '@/components/ui/badge';

const tone = { active: 'green', disabled: 'neutral', expired: 'amber', scheduled: 'blue' } as const;

/** Active, disabled, expired or not started yet, as a badge. */
export function CouponState({ state }: { state: CouponListRow['state'] }) {
  const t = useTranslations('console.coupons.status');
  return <Badge tone={tone[state]}>{t(state)}</Badge>;
}
