import type { ColumnDef, TableDef } from '../schema.js';

/**
 * TPC-C's nine tables (scaled down: see `tpcc` in docs/chaos.md), each with the harness's
 * `writer` and `version` columns so every row version is identifiable: a transaction reads a row
 * FOR UPDATE, then writes version + 1 (rows several terminals share are versioned under the row
 * lock, so versions of a row commit in order). `tpcc_history` has no primary key, as in TPC-C:
 * `h_id` (unique per terminal) is the key the checkers use.
 */
const int = (name: string): ColumnDef => ({ name, kind: 'int' });
const money = (name: string, p = 12): ColumnDef => ({ name, kind: 'decimal', precision: [p, 2] });
const rate = (name: string): ColumnDef => ({ name, kind: 'decimal', precision: [4, 4] });
const text = (name: string, length: number): ColumnDef => ({ name, kind: 'varchar', length });
const fixed = (name: string, length: number): ColumnDef => ({ name, kind: 'char', length });
const at = (name: string): ColumnDef => ({ name, kind: 'datetime' });
const book: ColumnDef[] = [int('writer'), int('version')];

const table = (name: string, primaryKey: string[], columns: ColumnDef[], extra: Partial<TableDef> = {}): TableDef => ({ name, primaryKey, columns: [...columns, ...book], ...extra });

export const WAREHOUSE = table('tpcc_warehouse', ['w_id'], [int('w_id'), text('w_name', 10), text('w_city', 20), fixed('w_state', 2), rate('w_tax'), money('w_ytd')]);
export const DISTRICT = table('tpcc_district', ['d_w_id', 'd_id'], [int('d_id'), int('d_w_id'), text('d_name', 10), rate('d_tax'), money('d_ytd'), int('d_next_o_id')]);
export const CUSTOMER = table('tpcc_customer', ['c_w_id', 'c_d_id', 'c_id'], [
  int('c_id'), int('c_d_id'), int('c_w_id'), text('c_first', 16), text('c_last', 16), fixed('c_credit', 2), rate('c_discount'),
  money('c_balance'), money('c_ytd_payment'), int('c_payment_cnt'), int('c_delivery_cnt'), at('c_since'), text('c_data', 200),
]);
export const HISTORY = table('tpcc_history', ['h_id'], [{ name: 'h_id', kind: 'bigint' }, int('h_c_id'), int('h_c_d_id'), int('h_c_w_id'), int('h_d_id'), int('h_w_id'), at('h_date'), money('h_amount', 6), text('h_data', 24)], { noPrimaryKey: true });
export const ITEM = table('tpcc_item', ['i_id'], [int('i_id'), text('i_name', 24), money('i_price', 5), text('i_data', 50)]);
export const STOCK = table('tpcc_stock', ['s_w_id', 's_i_id'], [int('s_i_id'), int('s_w_id'), int('s_quantity'), int('s_ytd'), int('s_order_cnt'), int('s_remote_cnt'), fixed('s_dist', 24), text('s_data', 50)]);
export const ORDERS = table('tpcc_orders', ['o_w_id', 'o_d_id', 'o_id'], [int('o_id'), int('o_d_id'), int('o_w_id'), int('o_c_id'), at('o_entry_d'), int('o_carrier_id'), int('o_ol_cnt'), int('o_all_local')]);
export const NEW_ORDER = table('tpcc_new_order', ['no_w_id', 'no_d_id', 'no_o_id'], [int('no_o_id'), int('no_d_id'), int('no_w_id')]);
export const ORDER_LINE = table('tpcc_order_line', ['ol_w_id', 'ol_d_id', 'ol_o_id', 'ol_number'], [
  int('ol_o_id'), int('ol_d_id'), int('ol_w_id'), int('ol_number'), int('ol_i_id'), int('ol_supply_w_id'), at('ol_delivery_d'), int('ol_quantity'), money('ol_amount', 6), fixed('ol_dist_info', 24),
]);

export const TPCC_TABLES: readonly TableDef[] = [WAREHOUSE, DISTRICT, CUSTOMER, HISTORY, ITEM, STOCK, ORDERS, NEW_ORDER, ORDER_LINE];
export const TPCC_PRIMARY_KEYS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(TPCC_TABLES.map((t) => [t.name, t.primaryKey]));

/** Districts per warehouse, as in TPC-C. */
export const DISTRICTS = 10;
