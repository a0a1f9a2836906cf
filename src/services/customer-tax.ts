import Big from 'big.js';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction } from './call.ts';
import { findOwnCustomer } from './customers.ts';

/** The tax on a customer's invoices: a rate and the name printed beside it (PPN, VAT, GST …). */
const view = (c: { tax_rate: string; tax_name: string }) => ({
  taxRate: new Big(c.tax_rate).toString(),
  taxName: c.tax_name,
});

export async function customerTax(db: Db, call: Call, customerId: string) {
  authorize(call.actor, 'invoicesRead');
  return view(await findOwnCustomer(db, call.actor, customerId));
}

/** Changes the tax of invoices issued from now on; issued invoices keep the tax they were issued with. */
export async function setCustomerTax(
  db: Db,
  call: Call,
  customerId: string,
  tax: { taxRate: string; taxName: string },
) {
  authorize(call.actor, 'invoicesIssue');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  const next = { tax_rate: new Big(tax.taxRate).toFixed(4), tax_name: tax.taxName.trim() };
  return inTransaction(db, async (trx) => {
    await trx.updateTable('customers').set(next).where('id', '=', customer.id).execute();
    await writeAudit(trx, call, {
      partnerId: customer.partner_id,
      customer: { id: customer.id, name: customer.company_name },
      resourceType: 'customer',
      operationType: 'update_customer_tax',
      oldValue: view(customer),
      newValue: view(next),
    });
    return view(next);
  });
}
