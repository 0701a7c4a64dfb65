/**
 * A binary max-heap on a numeric key; equal keys come out first-in, first-out, so a search
 * that uses it expands nodes in an order that depends only on their keys and arrival.
 */
export class MaxHeap<T> {
  private readonly items: { key: number; seq: number; value: T }[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  /** The largest key, or −∞ when empty. */
  get topKey(): number {
    return this.items[0]?.key ?? -Infinity;
  }

  push(key: number, value: T): void {
    const items = this.items;
    items.push({ key, seq: this.seq++, value });
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.above(i, parent)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ; ) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let m = i;
        if (l < items.length && this.above(l, m)) m = l;
        if (r < items.length && this.above(r, m)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top?.value;
  }

  /** Drains every remaining value. */
  drain(): T[] {
    return this.items.splice(0).map((item) => item.value);
  }

  private above(a: number, b: number): boolean {
    const [x, y] = [this.items[a]!, this.items[b]!];
    return x.key > y.key || (x.key === y.key && x.seq < y.seq);
  }
}
