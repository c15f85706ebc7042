/**
 * `check-warranty`: in warranty or not, by the database's date (one clock for every worker).
 * The warranty covers the purchase date up to the day before the same date `warrantyMonths`
 * later (12 months from 2025-03-10 end on 2026-03-09). The answer is kept with the step's key,
 * so a retry after midnight gives the answer the case was first given.
 */
import { invalidInput } from '../errors.js';
import { defineActivity } from '../define.js';

export const checkWarranty = defineActivity('check-warranty', {
  event: 'warranty-checked',
  write: async ({ activity, context, input: product, client }) => {
    const today = (await client.query<{ today: string }>(`SELECT to_char(current_date, 'YYYY-MM-DD') AS today`)).rows[0]?.today ?? '';
    if (product.purchaseDate > today) throw invalidInput(activity, `\`purchaseDate\` ${product.purchaseDate} is after today (${today}): check the purchase proof`);
    await client.query('INSERT INTO product_models (model) VALUES ($1) ON CONFLICT (model) DO NOTHING', [product.productModel]);
    const row = await client.query<{ warranty_ends: string; in_warranty: boolean }>(
      `INSERT INTO warranty_checks (check_key, case_id, product_model, serial, purchase_date, warranty_months, warranty_ends, checked_on, in_warranty)
       SELECT $1, $2, $3, $4, $5::date, $6, ends, current_date, current_date <= ends
         FROM (SELECT ($5::date + make_interval(months => $6) - interval '1 day')::date AS ends) AS w
       RETURNING to_char(warranty_ends, 'YYYY-MM-DD') AS warranty_ends, in_warranty`,
      [context.idempotencyKey, context.caseId, product.productModel, product.serial ?? null, product.purchaseDate, product.warrantyMonths],
    );
    const answer = row.rows[0] as { warranty_ends: string; in_warranty: boolean };
    return {
      result: { inWarranty: answer.in_warranty, warrantyEnds: answer.warranty_ends },
      detail: { productModel: product.productModel, purchaseDate: product.purchaseDate, warrantyMonths: product.warrantyMonths, checkedOn: today },
    };
  },
});
