'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Button } from '@/components/ui/button';
import { ConfirmForm } from '../confirm-form';

type Action = (prev: FormState, form: FormData) => Promise<FormState>;
type Props = { id: string; name: string; enabled: boolean; toggle: Action; test: Action; remove: Action };

/** Enable/disable, send a test event, delete (asked twice). */
export function EndpointActions({ id, name, enabled, toggle, test, remove }: Props) {
  const t = useTranslations('console.webhooks');
  const tc = useTranslations('console.common');
  const [toggleState, toggleAction, toggling] = useActionState<FormState, FormData>(toggle, {});
  const [testState, testAction, testing] = useActionState<FormState, FormData>(test, {});
  const [removeState, removeAction, removing] = useActionState<FormState, FormData>(remove, {});
  const [asking, setAsking] = useState(false);
  const message = removeState.error ?? toggleState.error ?? testState.error ?? (testState.ok ? testState.message : undefined);

  return (
    <div className="flex flex-col items-end gap-1.5">
      {asking ? (
        <ConfirmForm
          action={removeAction}
          fields={{ endpointId: id }}
          prompt={t('deleteConfirm', { name })}
          confirmLabel={t('deleteYes')}
          pendingLabel={tc('actions.working')}
          pending={removing}
          onCancel={() => setAsking(false)}
        />
      ) : (
        <div className="flex flex-wrap justify-end gap-1.5">
          <form action={testAction}>
            <input type="hidden" name="endpointId" value={id} />
            <Button type="submit" variant="secondary" size="sm" disabled={testing || !enabled} aria-busy={testing}>
              {testing ? tc('actions.working') : t('test')}
            </Button>
          </form>
          <form action={toggleAction}>
            <input type="hidden" name="endpointId" value={id} />
            <input type="hidden" name="enabled" value={enabled ? 'false' : 'true'} />
            <Button type="submit" variant="secondary" size="sm" disabled={toggling} aria-busy={toggling}>
              {toggling ? tc('actions.working') : enabled ? t('disable') : t('enable')}
            </Button>
          </form>
          <Button type="button" variant="ghost" size="sm" onClick={() => setAsking(true)}>
            {t('delete')}
          </Button>
        </div>
      )}
      {message ? (
        <p
          className={`max-w-64 whitespace-normal text-right text-xs ${testState.ok && !removeState.error && !toggleState.error ? 'text-emerald-700' : 'text-red-600'}`}
          role="status"
        >
          {message}
        </p>
      ) : null}
    </div>
  );
}
