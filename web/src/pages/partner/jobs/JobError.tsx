import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../api.ts';

/** Refusals with a short title of their own in the UI language; the server's sentence says what to do. */
const titled = [
  'domain-taken',
  'invalid-domain',
  'user-email-taken',
  'invalid-email',
  'invalid-culture',
  'invalid-language',
  'invalid-display-name',
  'billing-field-required',
  'billing-profile-changed',
  'azure-plan-exists',
  'admin-agent-required',
  'role-not-allowed',
  'network-error',
];

/** Which input an error is about: the server names it in `details.field`, or the code implies it. */
export function errorField(error: ApiError | null | undefined, emailField = 'user.email'): string | null {
  if (!error) return null;
  const field = error.details?.field;
  if (typeof field === 'string') return field;
  if (error.code === 'user-email-taken') return emailField;
  if (error.code === 'domain-taken' || error.code === 'invalid-domain') return 'domain';
  return null;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * What a field says when the refusal is about it: the short title in the UI language (the bar
 * below the form carries the server's full sentence), or that sentence when there is no title.
 */
export const fieldMessage = (t: Translate, error: ApiError | null | undefined): string | undefined =>
  error ? (titled.includes(error.code) ? t(`partnerJobs.errors.${error.code}`) : error.message) : undefined;

/** A refused job, in the dialog: a title in the UI language, the server's sentence, and a way out. */
export function JobError(props: { error: ApiError; failedTitle: string; action?: ReactNode }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const { error } = props;
  const { code } = error;
  // Long dialogs scroll: bring each new refusal into view, not just the field far above it —
  // after the bar's entrance has laid out, or the scroll stops short of its last line.
  useEffect(() => {
    if (!error) return;
    const timer = setTimeout(() => ref.current?.scrollIntoView?.({ block: 'nearest' }), 120);
    return () => clearTimeout(timer);
  }, [error]);
  const title = titled.includes(code) ? t(`partnerJobs.errors.${code}`) : props.failedTitle;
  return (
    <MessageBar
      ref={ref}
      intent={code === 'network-error' ? 'warning' : 'error'}
      layout="multiline"
      data-testid="job-error"
      data-code={code}
    >
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {props.error.message}
      </MessageBarBody>
      {props.action}
    </MessageBar>
  );
}
