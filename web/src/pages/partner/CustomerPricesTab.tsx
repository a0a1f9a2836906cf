import { useTranslation } from 'react-i18next';
import type { CustomerDetail } from '../../api.ts';
import { PriceListEditor } from './prices/PriceListEditor.tsx';

/** The customer's "Prices" tab: its own price list, or the default it pays while it has none (B9). */
export function CustomerPricesTab({ customer }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  return (
    <PriceListEditor
      scope={{ customerId: customer.id }}
      title={t('priceList.customerTitle')}
      description={t('priceList.customerDescription', { company: customer.companyName })}
      companyName={customer.companyName}
    />
  );
}
