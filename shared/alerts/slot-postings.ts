import { SIGNATURE_SLOTS } from './story-clusterer.ts';

const EMPTY = -1;
const NONE = -1;

/**
 * Which members have each (slot, value) of their parsed signature. A hash table with open
 * addressing over typed arrays maps each (slot, value) to the first of its members, and the rest
 * follow in a doubly linked list threaded through one node per (member, slot): adding or removing
 * a member costs one probe per slot and allocates nothing, where a Map of arrays cost two hash
 * lookups and cache misses per slot (most of the assigner's time once the candidates were indexed).
 */
export class SlotPostings<T> {
  private members: (T | undefined)[] = [];
  private readonly freeIds: number[] = [];
  private next = new Int32Array(0);
  private prev = new Int32Array(0);
  private keys = new Float64Array(1024).fill(EMPTY);
  private heads = new Int32Array(1024);
  private used = 0;

  /** Adds a member under each slot value of its signature; returns its id for {@link remove}. */
  add(member: T, slots: Uint32Array): number {
    const id = this.freeIds.pop() ?? this.newId();
    this.members[id] = member;
    for (let slot = 0; slot < SIGNATURE_SLOTS; slot++) {
      const at = this.findOrInsert(postingKey(slots, slot));
      const node = id * SIGNATURE_SLOTS + slot;
      const head = this.heads[at] as number;
      this.next[node] = head;
      this.prev[node] = NONE;
      if (head !== NONE) this.prev[head] = node;
      this.heads[at] = node;
    }
    return id;
  }

  /** Removes the member added with this id and these slots. */
  remove(id: number, slots: Uint32Array): void {
    for (let slot = 0; slot < SIGNATURE_SLOTS; slot++) {
      const node = id * SIGNATURE_SLOTS + slot;
      const before = this.prev[node] as number;
      const after = this.next[node] as number;
      if (before !== NONE) {
        this.next[before] = after;
        if (after !== NONE) this.prev[after] = before;
        continue;
      }
      const at = this.find(postingKey(slots, slot));
      if (after !== NONE) {
        this.heads[at] = after;
        this.prev[after] = NONE;
      } else {
        this.deleteAt(at);
      }
    }
    this.members[id] = undefined;
    this.freeIds.push(id);
  }

  /** Calls `visit` once for each (member, slot) where the member has the same value as `slots`. */
  visitSharing(slots: Uint32Array, visit: (member: T) => void): void {
    for (let slot = 0; slot < SIGNATURE_SLOTS; slot++) {
      const at = this.find(postingKey(slots, slot));
      if (at === EMPTY) continue;
      for (let node = this.heads[at] as number; node !== NONE; node = this.next[node] as number) {
        visit(this.members[Math.floor(node / SIGNATURE_SLOTS)] as T);
      }
    }
  }

  private newId(): number {
    const id = this.members.length;
    this.members.push(undefined);
    const needed = (id + 1) * SIGNATURE_SLOTS;
    if (needed > this.next.length) {
      const size = Math.max(needed, this.next.length * 2);
      const next = new Int32Array(size);
      next.set(this.next);
      this.next = next;
      const prev = new Int32Array(size);
      prev.set(this.prev);
      this.prev = prev;
    }
    return id;
  }

  /** The table index holding `key`, or EMPTY. */
  private find(key: number): number {
    const mask = this.keys.length - 1;
    for (let at = home(key, mask); ; at = (at + 1) & mask) {
      const found = this.keys[at] as number;
      if (found === key) return at;
      if (found === EMPTY) return EMPTY;
    }
  }

  private findOrInsert(key: number): number {
    if ((this.used + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    for (let at = home(key, mask); ; at = (at + 1) & mask) {
      const found = this.keys[at] as number;
      if (found === key) return at;
      if (found === EMPTY) {
        this.keys[at] = key;
        this.heads[at] = NONE;
        this.used++;
        return at;
      }
    }
  }

  /** Empties a table index, moving later keys of the same probe run back so finds still stop right. */
  private deleteAt(index: number): void {
    const mask = this.keys.length - 1;
    let hole = index;
    let at = index;
    for (;;) {
      at = (at + 1) & mask;
      const key = this.keys[at] as number;
      if (key === EMPTY) break;
      const wanted = home(key, mask);
      // The key may stay when its home lies cyclically after the hole and at or before it.
      const stays = hole <= at ? hole < wanted && wanted <= at : hole < wanted || wanted <= at;
      if (stays) continue;
      this.keys[hole] = key;
      this.heads[hole] = this.heads[at] as number;
      hole = at;
    }
    this.keys[hole] = EMPTY;
    this.used--;
  }

  private grow(): void {
    const keys = this.keys;
    const heads = this.heads;
    this.keys = new Float64Array(keys.length * 2).fill(EMPTY);
    this.heads = new Int32Array(keys.length * 2);
    const mask = this.keys.length - 1;
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as number;
      if (key === EMPTY) continue;
      let at = home(key, mask);
      while (this.keys[at] !== EMPTY) at = (at + 1) & mask;
      this.keys[at] = key;
      this.heads[at] = heads[index] as number;
    }
  }
}

// Slot values are below 2^32 and slots below 128, so distinct pairs get distinct safe integers.
function postingKey(slots: Uint32Array, slot: number): number {
  return (slots[slot] as number) * SIGNATURE_SLOTS + slot;
}

function home(key: number, mask: number): number {
  // The low 32 bits multiplied and folded, with the high bits of a rare large key mixed in.
  let hash = Math.imul((key | 0) ^ Math.floor(key / 0x1_0000_0000), 0x9e3779b1);
  hash ^= hash >>> 15;
  return hash & mask;
}
