import type { RowImage } from '../../history/index.js';
import type { Rng } from '../rng.js';
import { cents, decimal, now } from './money.js';
import type { VersionedTxn } from './rows.js';
import { CUSTOMER, DISTRICT, DISTRICTS, HISTORY, ITEM, NEW_ORDER, ORDER_LINE, ORDERS, STOCK, WAREHOUSE } from './tables.js';

/** What the mix draws from; sizes of the population (tpcc block of the scenario). */
export interface TpccScale {
  readonly warehouses: number;
  readonly items: number;
  readonly customers: number;
}

export type TxnKind = 'new-order' | 'payment' | 'delivery' | 'order-status' | 'stock-level';

/** TPC-C's mix (clause 5.2.3 minimums): 45 / 43 / 4 / 4 / 4. */
export function drawKind(rng: Rng): TxnKind {
  const r = rng.next() * 100;
  return r < 45 ? 'new-order' : r < 88 ? 'payment' : r < 92 ? 'delivery' : r < 96 ? 'order-status' : 'stock-level';
}

/** New-Order: the district's next order id, an order of 5-15 lines, each line taking from stock. */
export async function newOrder(t: VersionedTxn, rng: Rng, scale: TpccScale, w: number, historyId: () => number): Promise<void> {
  void historyId;
  const d = rng.int(1, DISTRICTS);
  const c = rng.int(1, scale.customers);
  const district = (await t.lock(DISTRICT, { d_w_id: w, d_id: d }))!;
  const oId = district.d_next_o_id as number;
  await t.update(DISTRICT, district, { d_next_o_id: oId + 1 });
  // Distinct items in ascending order: two new orders lock stock rows in the same order (no deadlock).
  const count = rng.int(5, 15);
  const items = [...new Set(Array.from({ length: count }, () => rng.int(1, scale.items)))].sort((a, b) => a - b);
  const lines: RowImage[] = [];
  let allLocal = 1;
  for (const [i, item] of items.entries()) {
    const supply = scale.warehouses > 1 && rng.next() < 0.01 ? rng.int(1, scale.warehouses) : w;
    if (supply !== w) allLocal = 0;
    const quantity = rng.int(1, 10);
    const [price] = await t.read(`SELECT i_price FROM ${t.name(ITEM)} WHERE i_id = ${param(t, 1)}`, [item]);
    const stock = (await t.lock(STOCK, { s_w_id: supply, s_i_id: item }))!;
    const left = (stock.s_quantity as number) - quantity;
    await t.update(STOCK, stock, {
      s_quantity: left >= 10 ? left : left + 91,
      s_ytd: (stock.s_ytd as number) + quantity,
      s_order_cnt: (stock.s_order_cnt as number) + 1,
      s_remote_cnt: (stock.s_remote_cnt as number) + (supply === w ? 0 : 1),
    });
    lines.push({ ol_o_id: oId, ol_d_id: d, ol_w_id: w, ol_number: i + 1, ol_i_id: item, ol_supply_w_id: supply, ol_delivery_d: null, ol_quantity: quantity, ol_amount: decimal(cents(price!.i_price) * quantity), ol_dist_info: stock.s_dist });
  }
  await t.insert(ORDERS, [{ o_id: oId, o_d_id: d, o_w_id: w, o_c_id: c, o_entry_d: now(), o_carrier_id: null, o_ol_cnt: lines.length, o_all_local: allLocal }]);
  await t.insert(NEW_ORDER, [{ no_o_id: oId, no_d_id: d, no_w_id: w }]);
  await t.insert(ORDER_LINE, lines);
}

/** Payment: warehouse and district year-to-date, the customer's balance, a history row. */
export async function payment(t: VersionedTxn, rng: Rng, scale: TpccScale, w: number, historyId: () => number): Promise<void> {
  const d = rng.int(1, DISTRICTS);
  const c = rng.int(1, scale.customers);
  const amount = rng.int(100, 500_000);
  const warehouse = (await t.lock(WAREHOUSE, { w_id: w }))!;
  await t.update(WAREHOUSE, warehouse, { w_ytd: decimal(cents(warehouse.w_ytd) + amount) });
  const district = (await t.lock(DISTRICT, { d_w_id: w, d_id: d }))!;
  await t.update(DISTRICT, district, { d_ytd: decimal(cents(district.d_ytd) + amount) });
  const customer = (await t.lock(CUSTOMER, { c_w_id: w, c_d_id: d, c_id: c }))!;
  const bad = customer.c_credit === 'BC';
  await t.update(CUSTOMER, customer, {
    c_balance: decimal(cents(customer.c_balance) - amount),
    c_ytd_payment: decimal(cents(customer.c_ytd_payment) + amount),
    c_payment_cnt: (customer.c_payment_cnt as number) + 1,
    ...(bad ? { c_data: `${c} ${d} ${w} ${decimal(amount)} ${String(customer.c_data)}`.slice(0, 200) } : {}),
  });
  await t.insert(HISTORY, [{ h_id: historyId(), h_c_id: c, h_c_d_id: d, h_c_w_id: w, h_d_id: d, h_w_id: w, h_date: now(), h_amount: decimal(amount), h_data: `${String(warehouse.w_name)}    ${String(district.d_name)}`.slice(0, 24) }]);
}

/** Delivery: per district, the oldest undelivered order is delivered: carrier set, lines dated, customer credited. */
export async function delivery(t: VersionedTxn, rng: Rng, _scale: TpccScale, w: number): Promise<void> {
  const carrier = rng.int(1, 10);
  for (let d = 1; d <= DISTRICTS; d++) {
    const [oldest] = await t.lockWhere(NEW_ORDER, `no_w_id = ${param(t, 1)} AND no_d_id = ${param(t, 2)} ORDER BY no_o_id LIMIT 1`, [w, d]);
    if (!oldest) continue;
    const oId = oldest.no_o_id as number;
    await t.delete(NEW_ORDER, oldest);
    const order = (await t.lock(ORDERS, { o_w_id: w, o_d_id: d, o_id: oId }))!;
    await t.update(ORDERS, order, { o_carrier_id: carrier });
    let total = 0;
    const when = now();
    for (const line of await t.lockWhere(ORDER_LINE, `ol_w_id = ${param(t, 1)} AND ol_d_id = ${param(t, 2)} AND ol_o_id = ${param(t, 3)} ORDER BY ol_number`, [w, d, oId])) {
      total += cents(line.ol_amount);
      await t.update(ORDER_LINE, line, { ol_delivery_d: when });
    }
    const customer = (await t.lock(CUSTOMER, { c_w_id: w, c_d_id: d, c_id: order.o_c_id }))!;
    await t.update(CUSTOMER, customer, { c_balance: decimal(cents(customer.c_balance) + total), c_delivery_cnt: (customer.c_delivery_cnt as number) + 1 });
  }
}

/** Order-Status (read-only): a customer, their last order and its lines. */
export async function orderStatus(t: VersionedTxn, rng: Rng, scale: TpccScale, w: number): Promise<void> {
  const d = rng.int(1, DISTRICTS);
  const c = rng.int(1, scale.customers);
  await t.read(`SELECT c_balance, c_first, c_last FROM ${t.name(CUSTOMER)} WHERE c_w_id = ${param(t, 1)} AND c_d_id = ${param(t, 2)} AND c_id = ${param(t, 3)}`, [w, d, c]);
  const [last] = await t.read(`SELECT o_id FROM ${t.name(ORDERS)} WHERE o_w_id = ${param(t, 1)} AND o_d_id = ${param(t, 2)} AND o_c_id = ${param(t, 3)} ORDER BY o_id DESC LIMIT 1`, [w, d, c]);
  if (last) await t.read(`SELECT ol_i_id, ol_quantity, ol_amount, ol_delivery_d FROM ${t.name(ORDER_LINE)} WHERE ol_w_id = ${param(t, 1)} AND ol_d_id = ${param(t, 2)} AND ol_o_id = ${param(t, 3)}`, [w, d, last.o_id]);
}

/** Stock-Level (read-only): items of the district's last 20 orders whose stock is below a threshold. */
export async function stockLevel(t: VersionedTxn, rng: Rng, _scale: TpccScale, w: number): Promise<void> {
  const d = rng.int(1, DISTRICTS);
  const [district] = await t.read(`SELECT d_next_o_id FROM ${t.name(DISTRICT)} WHERE d_w_id = ${param(t, 1)} AND d_id = ${param(t, 2)}`, [w, d]);
  const next = Number(district?.d_next_o_id ?? 1);
  await t.read(
    `SELECT COUNT(DISTINCT s_i_id) AS low FROM ${t.name(ORDER_LINE)} JOIN ${t.name(STOCK)} ON s_i_id = ol_i_id AND s_w_id = ol_w_id WHERE ol_w_id = ${param(t, 1)} AND ol_d_id = ${param(t, 2)} AND ol_o_id >= ${param(t, 3)} AND s_quantity < ${param(t, 4)}`,
    [w, d, next - 20, rng.int(10, 20)],
  );
}

function param(t: VersionedTxn, i: number): string {
  return t.placeholder(i);
}
