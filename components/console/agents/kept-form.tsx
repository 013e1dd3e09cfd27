'use client';

import { startTransition, useActionState, useEffect, useRef, type FormEvent } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';

type Action = (state: FormState, form: FormData) => Promise<FormState>;

/**
 * A console form whose typed values survive a refusal: submitted in a transition (React
 * does not reset a form it did not submit itself), with the button that submitted it
 * included, and cleared after a success when `resetOnSuccess`. Without JavaScript the
 * form still posts to the action.
 */
export function useKeptForm(action: Action, { resetOnSuccess = false }: { resetOnSuccess?: boolean } = {}) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  const ref = useRef<HTMLFormElement>(null);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter;
    const data = new FormData(e.currentTarget, submitter instanceof HTMLElement ? submitter : null);
    startTransition(() => formAction(data));
  };
  useEffect(() => {
    if (resetOnSuccess && state.ok) ref.current?.reset();
  }, [state, resetOnSuccess]);
  const err = (name: string) => state.fields?.[name];
  /** aria wiring of a control whose Field has `htmlFor={id}`. */
  const aria = (name: string, id: string) => (state.fields?.[name] ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : {});
  return { state, pending, err, aria, formProps: { ref, action: formAction, onSubmit, noValidate: true } };
}

/** The form's error line, the messages of fields the form has no control for, and its success line. */
export function FormAlerts({ state, shown = [], success = true }: { state: FormState; shown?: string[]; success?: boolean }) {
  const others = Object.entries(state.fields ?? {}).filter(([name]) => !shown.includes(name));
  return (
    <>
      {state.error ? (
        <Alert tone="error">
          {state.error}
          {others.length > 0 ? (
            <ul className="mt-1 list-disc pl-5">
              {others.map(([name, message]) => (
                <li key={name}>{message}</li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
      {success && state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
    </>
  );
}
