import { makeStyles, tokens } from '@fluentui/react-components';

/** Shared look of list tables: white surface, hairline border, compact rows, content-sized columns. */
export const useTableStyles = makeStyles({
  surface: {
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow2,
    overflowX: 'auto',
  },
  table: { tableLayout: 'auto', minWidth: '100%' },
  headerCell: { fontWeight: tokens.fontWeightSemibold, whiteSpace: 'nowrap' },
  nowrap: { whiteSpace: 'nowrap' },
  numeric: { textAlign: 'right', whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' },
  /** Header of a numeric column: Fluent wraps header text in a flex container, so align that too. */
  numericHeader: {
    fontWeight: tokens.fontWeightSemibold,
    whiteSpace: 'nowrap',
    textAlign: 'right',
    '& > *': { justifyContent: 'flex-end' },
  },
  muted: { color: tokens.colorNeutralForeground3 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  empty: {
    padding: tokens.spacingVerticalXXL,
    textAlign: 'center',
    color: tokens.colorNeutralForeground3,
  },
  footer: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    marginTop: tokens.spacingVerticalM,
    color: tokens.colorNeutralForeground3,
  },
  toolbar: {
    display: 'flex',
    alignItems: 'flex-end',
    gap: tokens.spacingHorizontalM,
    marginBottom: tokens.spacingVerticalM,
    flexWrap: 'wrap',
  },
});
