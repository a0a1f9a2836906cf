import {
  Button,
  Combobox,
  Input,
  makeStyles,
  Option,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Add16Regular, Delete16Regular } from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTableStyles } from '../../../components/tableStyles.ts';
import { useFormat } from '../../../format.ts';
import type { PriceBillingPlan, PriceRow } from '../../../priceLists.ts';
import { type DraftOverride, newKey } from './draft.ts';

const useStyles = makeStyles({
  item: { minWidth: '380px' },
  value: { width: '140px' },
  add: { marginTop: tokens.spacingVerticalS },
  option: { display: 'flex', flexDirection: 'column' },
  muted: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

export interface CatalogChoice {
  catalogItemId: string;
  label: string;
  detail: string;
  plans: PriceBillingPlan[];
}

/** The catalog items a price list can override, from the rows of the list itself. */
export function catalogChoices(rows: PriceRow[], duration: (term: string) => string): CatalogChoice[] {
  const byId = new Map<string, CatalogChoice>();
  for (const r of rows) {
    const found = byId.get(r.catalogItemId);
    if (found) {
      if (!found.plans.includes(r.billingPlan)) found.plans.push(r.billingPlan);
      continue;
    }
    // A catalog item is one size in one region for one term: name it by those, the product below.
    byId.set(r.catalogItemId, {
      catalogItemId: r.catalogItemId,
      label: [r.skuTitle, r.termDuration ? duration(r.termDuration) : ''].filter(Boolean).join(' · '),
      detail: [r.skuTitle === r.productTitle ? '' : r.productTitle, r.catalogItemId]
        .filter(Boolean)
        .join(' · '),
      plans: [r.billingPlan],
    });
  }
  return [...byId.values()];
}

function ItemPicker(props: {
  choices: CatalogChoice[];
  value: string;
  onChange: (catalogItemId: string) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const chosen = props.choices.find((c) => c.catalogItemId === props.value);
  const [text, setText] = useState(chosen?.label ?? '');
  const needle = text.trim().toLowerCase();
  // A thousand items are too many to list: show the first matches of what was typed.
  const matches = props.choices
    .filter((c) => !needle || `${c.label} ${c.detail}`.toLowerCase().includes(needle))
    .slice(0, 30);
  return (
    <Combobox
      className={styles.item}
      freeform
      placeholder={t('priceList.chooseItem')}
      aria-label={t('priceList.item')}
      value={text}
      selectedOptions={props.value ? [props.value] : []}
      onChange={(event) => setText(event.target.value)}
      onOptionSelect={(_, data) => {
        if (!data.optionValue) return;
        props.onChange(data.optionValue);
        setText(data.optionText ?? '');
      }}
      data-testid={props.testId}
    >
      {matches.map((c) => (
        <Option key={c.catalogItemId} value={c.catalogItemId} text={c.label}>
          <span className={styles.option}>
            <span>{c.label}</span>
            <span className={styles.muted}>{c.detail}</span>
          </span>
        </Option>
      ))}
    </Combobox>
  );
}

/** Overrides for single catalog items: a fixed unit price or a markup of their own. */
export function OverridesEditor(props: {
  overrides: DraftOverride[];
  onChange: (overrides: DraftOverride[]) => void;
  rows: PriceRow[];
  invalid: string[];
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const table = useTableStyles();
  const format = useFormat();
  const choices = useMemo(() => catalogChoices(props.rows, format.duration), [props.rows, format.duration]);
  const update = (key: string, change: Partial<DraftOverride>) =>
    props.onChange(props.overrides.map((o) => (o.key === key ? { ...o, ...change } : o)));
  const remove = (key: string) => props.onChange(props.overrides.filter((o) => o.key !== key));
  const add = () =>
    props.onChange([
      ...props.overrides,
      { key: newKey(), catalogItemId: '', billingPlan: '', type: 'markup', value: '' },
    ]);

  return (
    <div data-testid="overrides">
      {props.overrides.length === 0 ? (
        <Text as="p" className={table.muted}>
          {t('priceList.noOverrides')}
        </Text>
      ) : (
        <div className={table.surface}>
          <Table size="small" className={table.table} aria-label={t('priceList.overridesTitle')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={table.headerCell}>{t('priceList.item')}</TableHeaderCell>
                <TableHeaderCell className={table.headerCell}>{t('priceList.billingPlan')}</TableHeaderCell>
                <TableHeaderCell className={table.headerCell}>{t('priceList.overrideType')}</TableHeaderCell>
                <TableHeaderCell className={table.headerCell}>{t('priceList.value')}</TableHeaderCell>
                {!props.readOnly && <TableHeaderCell />}
              </TableRow>
            </TableHeader>
            <TableBody>
              {props.overrides.map((o, index) => {
                const choice = choices.find((c) => c.catalogItemId === o.catalogItemId);
                const label = choice?.label ?? o.catalogItemId;
                const bad = props.invalid.includes(o.key);
                if (props.readOnly) {
                  return (
                    <TableRow key={o.key} data-testid="override-row">
                      <TableCell>
                        {label}
                        <div className={styles.muted}>{choice?.detail}</div>
                      </TableCell>
                      <TableCell>
                        {o.billingPlan
                          ? format.label('billingPlan', o.billingPlan)
                          : t('priceList.billingPlanAny')}
                      </TableCell>
                      <TableCell>{t(`priceList.types.${o.type}`)}</TableCell>
                      <TableCell className={table.numeric}>
                        {o.type === 'markup' ? `${o.value} %` : o.value}
                      </TableCell>
                    </TableRow>
                  );
                }
                return (
                  <TableRow key={o.key} data-testid="override-row">
                    <TableCell>
                      <ItemPicker
                        choices={choices}
                        value={o.catalogItemId}
                        onChange={(catalogItemId) => update(o.key, { catalogItemId, billingPlan: '' })}
                        testId={`override-item-${index}`}
                      />
                    </TableCell>
                    <TableCell>
                      <Select
                        aria-label={t('priceList.billingPlan')}
                        value={o.billingPlan}
                        onChange={(_, data) =>
                          update(o.key, { billingPlan: data.value as PriceBillingPlan | '' })
                        }
                        data-testid={`override-plan-${index}`}
                      >
                        <option value="">{t('priceList.billingPlanAny')}</option>
                        {(choice?.plans ?? []).map((plan) => (
                          <option key={plan} value={plan}>
                            {format.label('billingPlan', plan)}
                          </option>
                        ))}
                      </Select>
                    </TableCell>
                    <TableCell>
                      <Select
                        aria-label={t('priceList.overrideType')}
                        value={o.type}
                        onChange={(_, data) => update(o.key, { type: data.value as DraftOverride['type'] })}
                        data-testid={`override-type-${index}`}
                      >
                        <option value="markup">{t('priceList.types.markup')}</option>
                        <option value="price">{t('priceList.types.price')}</option>
                      </Select>
                    </TableCell>
                    <TableCell>
                      <Input
                        className={styles.value}
                        aria-label={t('priceList.value')}
                        aria-invalid={bad}
                        value={o.value}
                        inputMode="decimal"
                        contentAfter={o.type === 'markup' ? '%' : undefined}
                        onChange={(_, data) => update(o.key, { value: data.value })}
                        data-testid={`override-value-${index}`}
                      />
                    </TableCell>
                    <TableCell>
                      <Button
                        appearance="subtle"
                        icon={<Delete16Regular />}
                        aria-label={t('priceList.removeOverride', { item: label || '…' })}
                        onClick={() => remove(o.key)}
                        data-testid={`override-remove-${index}`}
                      />
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
      {!props.readOnly && (
        <div className={styles.add}>
          <Button icon={<Add16Regular />} onClick={add} data-testid="override-add">
            {t('priceList.addOverride')}
          </Button>
        </div>
      )}
    </div>
  );
}
