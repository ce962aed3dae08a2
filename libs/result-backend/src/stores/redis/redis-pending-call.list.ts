/**
 * The calls a Redis store has pending, in call order: a doubly linked list threaded through
 * the calls themselves. Every command of a store enters and leaves it, so adding and removing
 * allocate nothing and hash nothing (a `Set` of fresh objects gave each one an identity hash
 * and rehashed as calls came and went, which showed in pipelined throughput).
 * @internal
 */
export class PendingCallList<N extends PendingCallNode<N>> {
  private head: N | null = null;
  private tail: N | null = null;
  private count = 0;

  /** How many calls are pending. */
  get size(): number {
    return this.count;
  }

  /** Appends `node` (not in any list). */
  add(node: N): void {
    node.prev = this.tail;
    node.next = null;
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    node.listed = true;
    this.count++;
  }

  /** Removes `node`; a node not listed is left alone. */
  delete(node: N): void {
    if (!node.listed) return;
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = node.next = null;
    node.listed = false;
    this.count--;
  }

  /** The pending calls now, in call order (a copy: callers may delete while iterating). */
  snapshot(): N[] {
    const out: N[] = [];
    for (let n = this.head; n; n = n.next) out.push(n);
    return out;
  }
}

/** The links a call carries while it is in a {@link PendingCallList}. @internal */
export interface PendingCallNode<N> {
  prev: N | null;
  next: N | null;
  listed: boolean;
}
