import {
  Field,
  MessageBar,
  MessageBarBody,
  SearchBox,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me, type PriceKind, type PriceView } from '../../api.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../components/QueryState.tsx';
import { useTableStyles } from '../../components/tableStyles.ts';
import { useFormat } from '../../format.ts';
import { isAdminAgent } from '../../session.ts';
import { PriceListEditor } from './prices/PriceListEditor.tsx';
import { RetailSetting } from './prices/RetailSetting.tsx';

type PricesTab = 'default' | PriceKind;

const matches = (price: PriceView, needle: string) =>
  [price.catalogItemId, price.productTitle, price.skuTitle, price.unit].some((text) =>
    text.toLowerCase().includes(needle),
  );

export function PricesPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const styles = useTableStyles();
  const format = useFormat();
  const [tab, setTab] = useState<PricesTab>('default');
  const [filter, setFilter] = useState('');
  const admin = isAdminAgent(me);
  // The retail and partner lists as stored are an Admin agent's; the default list everyone reads.
  const kind: PriceKind = tab === 'partner' ? 'partner' : 'retail';
  const query = useQuery({
    queryKey: ['prices', kind],
    queryFn: () => api.prices(kind),
    enabled: admin && tab !== 'default',
  });

  const header = <PageHeader title={t('prices.title')} description={t('prices.description')} />;
  const tabs = (
    <TabList
      selectedValue={tab}
      onTabSelect={(_, data) => setTab(data.value as PricesTab)}
      aria-label={t('prices.title')}
      data-testid="price-tabs"
      style={{ marginBottom: 12 }}
    >
      <Tab value="default" data-testid="tab-default">
        {t('priceList.defaultTab')}
      </Tab>
      {admin && (
        <Tab value="retail" data-testid="tab-retail">
          {t('prices.retail')}
        </Tab>
      )}
      {admin && (
        <Tab value="partner" data-testid="tab-partner">
          {t('prices.partner')}
        </Tab>
      )}
    </TabList>
  );
  if (tab === 'default') {
    return (
      <>
        {header}
        {tabs}
        <RetailSetting />
        <PriceListEditor
          scope="default"
          title={t('priceList.defaultTitle')}
          description={t('priceList.defaultDescription')}
        />
      </>
    );
  }
  if (!admin) {
    return (
      <>
        {header}
        <MessageBar intent="warning">
          <MessageBarBody>{t('prices.adminOnly')}</MessageBarBody>
        </MessageBar>
      </>
    );
  }

  const needle = filter.trim().toLowerCase();
  const items = (query.data?.items ?? []).filter((price) => !needle || matches(price, needle));
  const currency = query.data?.priceList?.currency;

  return (
    <>
      {header}
      {tabs}
      <div className={styles.toolbar}>
        <Field
          label={t('prices.filter')}
          hint={t(kind === 'retail' ? 'prices.retailHint' : 'prices.partnerHint')}
        >
          <SearchBox
            value={filter}
            onChange={(_, data) => setFilter(data.value)}
            placeholder={t('prices.filterPlaceholder')}
            style={{ width: 360, maxWidth: '100%' }}
            data-testid="price-filter"
          />
        </Field>
      </div>
      {query.isError && <ErrorBar error={query.error} onRetry={() => void query.refetch()} />}
      {query.isPending ? (
        <Loading />
      ) : (
        <div className={styles.surface}>
          <Table
            size="small"
            className={styles.table}
            aria-label={t('prices.title')}
            data-testid="prices-table"
          >
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.headerCell}>{t('prices.catalogItem')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('prices.product')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('prices.sku')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('prices.term')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('prices.billingPlan')}</TableHeaderCell>
                <TableHeaderCell className={styles.numericHeader}>{t('prices.unitPrice')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('prices.unit')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((price) => (
                <TableRow
                  key={`${price.catalogItemId}|${price.termDuration}|${price.billingPlan}`}
                  data-testid="price-row"
                >
                  <TableCell>
                    <Text className={styles.mono}>{price.catalogItemId}</Text>
                  </TableCell>
                  <TableCell>{price.productTitle}</TableCell>
                  <TableCell>{price.skuTitle}</TableCell>
                  <TableCell className={styles.nowrap}>{format.duration(price.termDuration)}</TableCell>
                  <TableCell className={styles.nowrap}>
                    {format.label('billingPlan', price.billingPlan)}
                  </TableCell>
                  <TableCell className={styles.numeric}>
                    {format.unitPrice(price.unitPrice, currency)}
                  </TableCell>
                  <TableCell className={styles.muted}>{price.unit}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {items.length === 0 && (
            <div className={styles.empty}>
              {needle ? t('prices.noMatch', { filter: filter.trim() }) : t('prices.empty')}
            </div>
          )}
        </div>
      )}
    </>
  );
}
