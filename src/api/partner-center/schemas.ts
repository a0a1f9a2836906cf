import { Type } from '@sinclair/typebox';
import { invalid } from '../../domain/errors.ts';

export const NewCustomerBody = Type.Object(
  {
    companyProfile: Type.Object(
      { domain: Type.String({ minLength: 3, maxLength: 253 }) },
      { additionalProperties: true },
    ),
    billingProfile: Type.Object(
      {
        culture: Type.String({ minLength: 2, maxLength: 10 }),
        email: Type.String({ format: 'email' }),
        language: Type.String({ minLength: 2, maxLength: 10 }),
        companyName: Type.String({ minLength: 1, maxLength: 200 }),
        defaultAddress: Type.Object(
          {
            firstName: Type.String({ minLength: 1 }),
            lastName: Type.String({ minLength: 1 }),
            addressLine1: Type.String({ minLength: 1 }),
            city: Type.String({ minLength: 1 }),
            state: Type.Optional(Type.String()),
            postalCode: Type.String({ minLength: 1 }),
            country: Type.String({ pattern: '^[A-Za-z]{2}$' }),
            phoneNumber: Type.Optional(Type.String()),
          },
          { additionalProperties: true },
        ),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true },
);

export interface Filter {
  field: string;
  value: string;
  operator: string;
}

/** Partner center's `filter` query parameter: URL-encoded JSON `{"Field","Value","Operator"}`. */
export function parseFilter(raw: string, fields: string[], operators: string[]): Filter {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = null;
  }
  const f = parsed as Record<string, unknown> | null;
  const field = fields.find((x) => x.toLowerCase() === String(f?.Field ?? f?.field ?? '').toLowerCase());
  const operator = operators.find((x) => x === String(f?.Operator ?? f?.operator ?? '').toLowerCase());
  const value = f?.Value ?? f?.value;
  if (!field || !operator || typeof value !== 'string' || value.includes('\u0000')) {
    throw invalid(
      'invalid-filter',
      `filter must be JSON like {"Field":"${fields[0]}","Value":"...","Operator":"${operators[0]}"}; Field is one of ${fields.join(', ')} and Operator one of ${operators.join(', ')}.`,
    );
  }
  return { field, value, operator };
}
