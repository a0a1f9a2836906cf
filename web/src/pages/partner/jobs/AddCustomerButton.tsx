import { Button, Tooltip } from '@fluentui/react-components';
import { PersonAdd16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../session.ts';
import { AddCustomerDialog } from './AddCustomerDialog.tsx';
import { canOrder } from './usePartnerJobs.ts';

/** "Add customer" on the Customers page: Admin and Sales agents, as partner center allows (R20). */
export function AddCustomerButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const allowed = canOrder(useMe().data);
  const button = (
    <Button
      appearance="primary"
      icon={<PersonAdd16Regular />}
      disabledFocusable={!allowed}
      onClick={() => allowed && setOpen(true)}
      data-testid="add-customer"
    >
      {t('partnerJobs.addCustomer.button')}
    </Button>
  );
  return (
    <>
      {allowed ? (
        button
      ) : (
        <Tooltip content={t('partnerJobs.addCustomer.notAllowed')} relationship="description">
          {button}
        </Tooltip>
      )}
      {open && <AddCustomerDialog onClose={() => setOpen(false)} />}
    </>
  );
}
