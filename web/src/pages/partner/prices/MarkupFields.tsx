import { Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { type Markups, type PriceKind, priceKinds } from '../../../priceLists.ts';
import { isPercent } from './draft.ts';

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  input: { maxWidth: '160px' },
});

/** The four default markups on retail, one per kind of product. */
export function MarkupFields(props: {
  markups: Markups;
  onChange: (kind: PriceKind, value: string) => void;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <div className={styles.grid}>
      {priceKinds.map((kind) => {
        const value = props.markups[kind];
        const valid = isPercent(value);
        return (
          <Field
            key={kind}
            label={t(`priceList.kinds.${kind}`)}
            hint={valid ? t(`priceList.kindHint.${kind}`) : undefined}
            validationState={valid ? 'none' : 'error'}
            validationMessage={valid ? undefined : t('priceList.invalidPercent')}
          >
            <Input
              className={styles.input}
              value={value}
              inputMode="decimal"
              readOnly={props.readOnly}
              contentAfter="%"
              onChange={(_, data) => props.onChange(kind, data.value)}
              data-testid={`markup-${kind}`}
            />
          </Field>
        );
      })}
    </div>
  );
}
