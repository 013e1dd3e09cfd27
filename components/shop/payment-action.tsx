import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { Button, buttonClass } from '@/components/ui/button';
import type { OrderPayment } from '@/lib/orders';
import { CopyButton } from './copy-button';
import { QrCode } from './qr-code';

/**
 * What the buyer does to pay, by the kind of action the channel's driver declared: the demo
 * button, a redirect, a QR code (on a phone, Alipay's one-tap button first; WeChat's way
 * round the phone's camera said plainly), or an exact crypto transfer.
 */
export async function PaymentActionView({
  orderNo,
  payment,
  onPhone,
  amount,
  queuedUntil,
  alternatives = [],
}: {
  orderNo: string;
  payment: OrderPayment | null;
  onPhone: boolean;
  amount: string;
  /** Set when the buyer left the order with the shop (no channel could take it): until when its keys are held. */
  queuedUntil?: string;
  /** The shop's other ways of paying, offered when this one could not take the payment. */
  alternatives?: { id: string; name: string }[];
}) {
  const t = await getTranslations('pay');
  if (!payment) return <Notice tone="amber">{t('unavailable')}</Notice>;
  if (payment.state === 'creating') return <Notice tone="brand">{t('creating')}</Notice>;
  if (payment.state === 'failed') {
    const no = encodeURIComponent(orderNo);
    return (
      <div className="space-y-3">
        {queuedUntil ? <Notice tone="brand">{t('queued', { until: queuedUntil })}</Notice> : <Notice tone="amber">{t('failed')}</Notice>}
        <form method="post" action={`/pay/${no}/retry`}>
          <Button type="submit" className="w-full">
            {t('retry')}
          </Button>
        </form>
        {alternatives.length > 0 ? (
          // The order stays payable by another method: one tap moves it there.
          <div className="space-y-2">
            <p className="text-sm text-zinc-600">{t('otherMethods')}</p>
            {alternatives.map((a) => (
              <form key={a.id} method="post" action={`/pay/${no}/switch`}>
                <input type="hidden" name="channel" value={a.id} />
                <Button type="submit" variant="secondary" className="w-full">
                  {a.name}
                </Button>
              </form>
            ))}
          </div>
        ) : null}
        {queuedUntil ? null : (
          // The last level: no channel of this method can take it now; the shop takes it from here.
          <form method="post" action={`/pay/${no}/queue`} className="space-y-2">
            <Button type="submit" variant="secondary" className="w-full">
              {t('leaveManual')}
            </Button>
            <p className="text-xs text-zinc-500">{t('leaveManualHint')}</p>
          </form>
        )}
      </div>
    );
  }
  const action = payment.action;
  if (!action) return null;
  switch (action.type) {
    case 'demo':
      return (
        <form method="post" action={`/pay/${encodeURIComponent(orderNo)}/demo`} className="space-y-3">
          <p className="rounded-lg bg-brand-50 px-3 py-2 text-xs text-brand-700">{t('demoHint')}</p>
          <Button type="submit" className="w-full">
            {t('demoPay')}
          </Button>
        </form>
      );
    case 'redirect':
      return (
        <div className="space-y-4">
          <a href={action.url} className={buttonClass('primary', 'w-full')} rel="noreferrer" data-testid="pay-redirect">
            {t('goPay')}
          </a>
          {onPhone ? null : (
            <div className="space-y-2 text-center">
              <QrCode value={action.url} label={t('qrAlt')} />
              <p className="text-xs text-zinc-500">{t('scanToPay')}</p>
            </div>
          )}
        </div>
      );
    case 'qr': {
      const app = action.app === 'wechat' ? 'wechat' : action.app === 'alipay' ? 'alipay' : null;
      const qr = (
        <div className="space-y-2 text-center">
          <QrCode value={action.payload} label={t('qrAlt')} size={224} />
          <p className="text-sm text-zinc-700">
            {app === 'wechat' ? t('scanWechat') : app === 'alipay' ? t('scanAlipay') : t('scanToPay')} ·{' '}
            <span className="font-semibold tabular-nums">{amount}</span>
          </p>
        </div>
      );
      if (onPhone && app === 'alipay') {
        // The qr_code URL opens the Alipay app on the phone the buyer holds.
        return (
          <div className="space-y-4">
            <a href={action.payload} className={buttonClass('primary', 'w-full py-3 text-base')} data-testid="open-alipay">
              {t('openAlipay')}
            </a>
            <p className="text-xs text-zinc-500">{t('alipayPhoneHint')}</p>
            {qr}
          </div>
        );
      }
      if (onPhone && app === 'wechat') {
        return (
          <div className="space-y-4">
            {qr}
            <Notice tone="brand">{t('wechatPhoneHint')}</Notice>
            <Link href="/" className={buttonClass('secondary', 'w-full')}>
              {t('otherMethod')}
            </Link>
          </div>
        );
      }
      return qr;
    }
    case 'crypto':
      return (
        <div className="space-y-4" data-testid="crypto-pay">
          <dl className="space-y-3 text-sm">
            <div>
              <dt className="text-zinc-500">{t('cryptoNetwork')}</dt>
              <dd className="font-semibold">{action.network}</dd>
            </div>
            <div>
              <dt className="text-zinc-500">{t('cryptoAmount')}</dt>
              <dd className="flex items-center gap-2">
                <span className="min-w-0 flex-1 break-all font-mono text-xl font-semibold text-brand-700" data-testid="crypto-amount">
                  {action.amount} {action.currency}
                </span>
                <CopyButton value={action.amount} label={t('cryptoAmount')} />
              </dd>
            </div>
            <div>
              <dt className="text-zinc-500">{t('cryptoAddress')}</dt>
              <dd className="flex items-center gap-2">
                <code className="min-w-0 flex-1 break-all font-mono text-[13px]" data-testid="crypto-address">
                  {action.address}
                </code>
                <CopyButton value={action.address} label={t('cryptoAddress')} />
              </dd>
            </div>
          </dl>
          <Notice tone="amber">{t('cryptoWarning', { network: action.network, amount: action.amount, currency: action.currency })}</Notice>
          <div className="space-y-2 text-center">
            <QrCode value={action.address} label={t('cryptoQrAlt')} />
            <p className="text-xs text-zinc-500">{t('cryptoQrHint')}</p>
          </div>
        </div>
      );
  }
}

function Notice({ tone, children }: { tone: 'amber' | 'brand'; children: React.ReactNode }) {
  const cls = tone === 'amber' ? 'bg-amber-50 text-amber-800 ring-amber-200' : 'bg-brand-50 text-brand-700 ring-brand-100';
  return (
    <p className={`rounded-lg px-3 py-2 text-sm ring-1 ${cls}`} role="status">
      {children}
    </p>
  );
}
