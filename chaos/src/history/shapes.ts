import { shapeOf, shapeSignature, type Shape } from './fingerprint.js';
import type { RowImage } from './types.js';

/**
 * The distinct shapes (columns, which hold documents) of a history's expected images, by id: a
 * version keeps two small ids instead of its column lists. The last shape per table and side
 * (after / before) is tried first: it nearly always fits.
 */
export class ShapeRegistry {
  private readonly shapes: Shape[] = [];
  private readonly ids = new Map<string, number>();
  private readonly last = new Map<string, number>();
  /** Per table, the columns some expected image holds a JSON document in. */
  private readonly docs = new Map<string, Set<string>>();

  get(id: number): Shape {
    return this.shapes[id]!;
  }

  idOf(table: string, side: 0 | 1, image: RowImage): number {
    const cacheKey = `${side}${table}`;
    const last = this.last.get(cacheKey);
    if (last !== undefined && fits(image, this.shapes[last]!)) return last;
    const shape = shapeOf(image);
    const sig = shapeSignature(shape);
    let id = this.ids.get(sig);
    if (id === undefined) {
      id = this.shapes.push(shape) - 1;
      this.ids.set(sig, id);
    }
    this.last.set(cacheKey, id);
    let docs = this.docs.get(table);
    if (!docs) this.docs.set(table, (docs = new Set()));
    shape.columns.forEach((c, i) => shape.json[i] && docs.add(c));
    return id;
  }

  jsonColumns(table: string): ReadonlySet<string> {
    return this.docs.get(table) ?? new Set();
  }
}

/** Whether `image` has exactly the shape's columns, in order, documents where it has them. */
function fits(image: RowImage, shape: Shape): boolean {
  let i = 0;
  for (const c in image) {
    if (shape.columns[i] !== c) return false;
    const v = image[c];
    if ((typeof v === 'object' && v !== null) !== shape.json[i]) return false;
    i++;
  }
  return i === shape.columns.length;
}
