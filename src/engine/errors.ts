/**
 * Bad input, reported as one line that names the field and the row or commitment, so a partner
 * can fix the file without reading a stack trace.
 */
export class BenefitInputError extends Error {
  constructor(
    /** Where, e.g. `usage[3] (rowId "u4")` or `usage.csv line 9 (rowId "u8")`. */
    readonly where: string,
    /** The field, e.g. `quantity` or `scope.type`; '' when the whole record is meant. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${where}${field ? `: ${field}` : ''}: ${problem}`);
    this.name = 'BenefitInputError';
  }
}

/**
 * Thrown by the columnar core, which knows rows only by position; the edge that built the
 * batch turns it into a {@link BenefitInputError} naming the row.
 */
export class RowFault extends Error {
  constructor(
    /** Position in the batch's (sorted) rows. */
    readonly row: number,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`row ${row}: ${field}: ${problem}`);
    this.name = 'RowFault';
  }
}
