import type { RowImage } from '../../history/index.js';
import type { Rng } from '../rng.js';
import type { TableDef } from '../schema.js';
import { decimal, now } from './money.js';
import type { TpccScale } from './transactions.js';
import { CUSTOMER, DISTRICT, DISTRICTS, ITEM, STOCK, WAREHOUSE } from './tables.js';

const SYLLABLES = ['BAR', 'OUGHT', 'ABLE', 'PRI', 'PRES', 'ESE', 'ANTI', 'CALLY', 'ATION', 'EING'];

/** The initial population, table by table (orders start empty: New-Order creates them). */
export function population(scale: TpccScale, rng: Rng): { table: TableDef; rows: RowImage[] }[] {
  const rate = () => `0.${String(rng.int(0, 2000)).padStart(4, '0')}`;
  const chars = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + rng.int(0, 25))).join('');
  const items = Array.from({ length: scale.items }, (_, i) => ({
    i_id: i + 1, i_name: `item-${chars(8)}`, i_price: decimal(rng.int(100, 10_000)), i_data: rng.next() < 0.1 ? `${chars(10)}ORIGINAL${chars(10)}` : chars(30),
  }));
  const warehouses: RowImage[] = [];
  const districts: RowImage[] = [];
  const customers: RowImage[] = [];
  const stock: RowImage[] = [];
  for (let w = 1; w <= scale.warehouses; w++) {
    warehouses.push({ w_id: w, w_name: `wh-${w}`, w_city: chars(10), w_state: 'CA', w_tax: rate(), w_ytd: decimal(30_000_000) });
    for (let d = 1; d <= DISTRICTS; d++) {
      districts.push({ d_id: d, d_w_id: w, d_name: `d-${w}-${d}`, d_tax: rate(), d_ytd: decimal(3_000_000), d_next_o_id: 1 });
      for (let c = 1; c <= scale.customers; c++) {
        const last = [0, 1, 2].map(() => SYLLABLES[rng.int(0, 9)]).join('');
        customers.push({
          c_id: c, c_d_id: d, c_w_id: w, c_first: chars(8), c_last: last, c_credit: rng.next() < 0.1 ? 'BC' : 'GC', c_discount: rate(),
          c_balance: decimal(-1000), c_ytd_payment: decimal(1000), c_payment_cnt: 1, c_delivery_cnt: 0, c_since: now(), c_data: chars(60),
        });
      }
    }
    for (let i = 1; i <= scale.items; i++) stock.push({ s_i_id: i, s_w_id: w, s_quantity: rng.int(10, 100), s_ytd: 0, s_order_cnt: 0, s_remote_cnt: 0, s_dist: chars(24), s_data: chars(30) });
  }
  return [
    { table: ITEM, rows: items },
    { table: WAREHOUSE, rows: warehouses },
    { table: DISTRICT, rows: districts },
    { table: CUSTOMER, rows: customers },
    { table: STOCK, rows: stock },
  ];
}
