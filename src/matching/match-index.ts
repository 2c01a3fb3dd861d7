import { boundedDistance, HASH_WORDS, popcount32, scanRange } from './packed-hash.ts';

/**
 * Multi-index hashing (Norouzi, Punjani and Fleet) for 256-bit hashes: each hash is cut into sixteen
 * 16-bit slots, and one table per slot lists the hashes by slot value. Two hashes within distance r
 * agree to within floor(r / 16) bits on at least one slot (pigeonhole), so a query probes, in each
 * table, every slot value within that many bits of its own, and verifies the candidates by full
 * popcount distance.
 *
 * Memory is typed arrays only: per hash 32 bytes of hash, a 4-byte id, a live flag and 16 4-byte
 * postings; plus 4 MB of bucket offsets. rebuildIfStale() rebuilds the tables (compacting removed
 * hashes) when enough has changed; hashes added since the last rebuild are scanned linearly until then.
 */
const SLOTS = 16;
const SLOT_VALUES = 1 << 16;
const OFFSETS_PER_SLOT = SLOT_VALUES + 1;

export interface IndexHit {
  id: number;
  distance: number;
}

export class HammingIndex {
  private hashes = new Uint32Array(0);
  private ids = new Uint32Array(0);
  private live = new Uint8Array(0);
  /** Positions in use; [0, indexed) are in the slot tables, [indexed, count) are scanned. */
  private count = 0;
  private indexed = 0;
  private removed = 0;
  /** Whether ids[0, indexed) ascend, which lets remove() binary-search them. */
  private idsAscending = true;
  /** Per slot, the start of each slot value's run in `postings`; allocated at the first rebuild. */
  private offsets = new Uint32Array(0);
  private postings = new Uint32Array(0);

  /** Hashes added and not removed. */
  get size(): number {
    return this.count - this.removed;
  }

  /** Adds the 256-bit hash at word offset `at` of `words` under `id` (an unsigned 32-bit integer). */
  add(id: number, words: Uint32Array, at = 0): void {
    if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new RangeError(`bad index id ${id}`);
    if (this.count === this.ids.length) this.resize(Math.max(16, Math.ceil(this.count * 1.5)));
    this.hashes.set(words.subarray(at, at + HASH_WORDS), this.count * HASH_WORDS);
    this.ids[this.count] = id;
    this.live[this.count] = 1;
    this.count++;
  }

  /** Removes the hash added under `id`; false when there is none. */
  remove(id: number): boolean {
    const position = this.findLive(id);
    if (position < 0) return false;
    this.live[position] = 0;
    this.removed++;
    return true;
  }

  /**
   * Every live hash within Hamming distance `radius` of `query` (eight words), in no particular
   * order. It never rebuilds (see rebuildIfStale): hashes added since the last rebuild are scanned.
   */
  query(query: Uint32Array, radius: number): IndexHit[] {
    const hits: IndexHit[] = [];
    const collect = (position: number, distance: number) => {
      if (this.live[position]) hits.push({ id: this.ids[position] ?? 0, distance });
    };
    const slotRadius = Math.floor(radius / SLOTS);
    const masks = flipMasks(slotRadius);
    if (masks.length * SLOTS >= this.indexed) {
      // Probing would cost more than looking at every hash.
      scanRange(this.hashes, 0, this.count, query, radius, collect);
      return hits;
    }
    for (let slot = 0; slot < SLOTS; slot++) {
      const own = slotValue(query, 0, slot);
      const table = slot * OFFSETS_PER_SLOT;
      for (const mask of masks) {
        const value = own ^ mask;
        const end = this.offsets[table + value + 1] ?? 0;
        for (let i = this.offsets[table + value] ?? 0; i < end; i++) {
          const position = this.postings[i] ?? 0;
          const distance = boundedDistance(this.hashes, position * HASH_WORDS, query, radius);
          // A hash close enough on an earlier slot was already reported from that slot's table.
          if (distance <= radius && !closeOnEarlierSlot(this.hashes, position, query, slot, slotRadius)) {
            collect(position, distance);
          }
        }
      }
    }
    scanRange(this.hashes, this.indexed, this.count, query, radius, collect);
    return hits;
  }

  /** Bytes held by the typed arrays. */
  memoryBytes(): number {
    return (
      this.hashes.byteLength +
      this.ids.byteLength +
      this.live.byteLength +
      this.offsets.byteLength +
      this.postings.byteLength
    );
  }

  /**
   * Rebuilds the slot tables when enough was added or removed since the last rebuild. On a large
   * index it takes long (a second for a million hashes): callers run it outside write transactions.
   */
  rebuildIfStale(): void {
    const unindexed = this.count - this.indexed;
    if (unindexed > 256 + (this.indexed >> 8) || this.removed > 64 + (this.count >> 2)) this.rebuild();
  }

  /** Compacts out removed hashes, orders positions by id and rebuilds the slot tables. */
  private rebuild(): void {
    const order = this.liveOrderedById();
    const n = order.length;
    const capacity = n + (n >> 4) + 16;
    const hashes = new Uint32Array(capacity * HASH_WORDS);
    const ids = new Uint32Array(capacity);
    for (let p = 0; p < n; p++) {
      const from = order[p] ?? 0;
      hashes.set(this.hashes.subarray(from * HASH_WORDS, (from + 1) * HASH_WORDS), p * HASH_WORDS);
      ids[p] = this.ids[from] ?? 0;
    }
    this.hashes = hashes;
    this.ids = ids;
    this.live = new Uint8Array(capacity).fill(1, 0, n);
    this.count = n;
    this.indexed = n;
    this.removed = 0;
    this.idsAscending = true;
    this.buildTables(n);
  }

  private liveOrderedById(): Uint32Array {
    const order = new Uint32Array(this.count - this.removed);
    let n = 0;
    let ascending = true;
    let lastId = 0;
    for (let p = 0; p < this.count; p++) {
      if (!this.live[p]) continue;
      const id = this.ids[p] ?? 0;
      if (id < lastId) ascending = false;
      lastId = id;
      order[n++] = p;
    }
    return ascending ? order : order.sort((a, b) => (this.ids[a] ?? 0) - (this.ids[b] ?? 0));
  }

  /** Counting sort of the positions by slot value, one table per slot. */
  private buildTables(n: number): void {
    if (this.offsets.length === 0) this.offsets = new Uint32Array(SLOTS * OFFSETS_PER_SLOT);
    else this.offsets.fill(0);
    const { offsets, hashes } = this;
    const postings = new Uint32Array(SLOTS * n);
    const cursor = new Uint32Array(SLOT_VALUES);
    for (let slot = 0; slot < SLOTS; slot++) {
      const table = slot * OFFSETS_PER_SLOT;
      // Counts by value, one place up, then their running sums: where each value's run starts.
      for (let p = 0; p < n; p++) {
        const at = table + slotValue(hashes, p * HASH_WORDS, slot) + 1;
        offsets[at] = (offsets[at] ?? 0) + 1;
      }
      let start = slot * n;
      for (let v = 0; v < OFFSETS_PER_SLOT; v++) {
        start += offsets[table + v] ?? 0;
        offsets[table + v] = start;
      }
      cursor.set(offsets.subarray(table, table + SLOT_VALUES));
      for (let p = 0; p < n; p++) {
        const value = slotValue(hashes, p * HASH_WORDS, slot);
        const at = cursor[value] ?? 0;
        cursor[value] = at + 1;
        postings[at] = p;
      }
    }
    this.postings = postings;
  }

  private findLive(id: number): number {
    let start = 0;
    if (this.idsAscending) {
      let high = this.indexed;
      while (start < high) {
        const mid = (start + high) >>> 1;
        if ((this.ids[mid] ?? 0) < id) start = mid + 1;
        else high = mid;
      }
      for (; start < this.indexed && this.ids[start] === id; start++) if (this.live[start]) return start;
      start = this.indexed;
    }
    for (let p = start; p < this.count; p++) if (this.ids[p] === id && this.live[p]) return p;
    return -1;
  }

  private resize(capacity: number): void {
    const hashes = new Uint32Array(capacity * HASH_WORDS);
    hashes.set(this.hashes.subarray(0, this.count * HASH_WORDS));
    const ids = new Uint32Array(capacity);
    ids.set(this.ids.subarray(0, this.count));
    const live = new Uint8Array(capacity);
    live.set(this.live.subarray(0, this.count));
    this.hashes = hashes;
    this.ids = ids;
    this.live = live;
  }
}

/** Slot 0 is the high half of word 0, slot 1 its low half, and so on. */
function slotValue(words: Uint32Array, at: number, slot: number): number {
  const word = words[at + (slot >> 1)] ?? 0;
  return slot & 1 ? word & 0xffff : word >>> 16;
}

function closeOnEarlierSlot(
  hashes: Uint32Array,
  position: number,
  query: Uint32Array,
  slot: number,
  slotRadius: number,
): boolean {
  for (let earlier = 0; earlier < slot; earlier++) {
    const diff = slotValue(hashes, position * HASH_WORDS, earlier) ^ slotValue(query, 0, earlier);
    if (popcount32(diff) <= slotRadius) return true;
  }
  return false;
}

const masksByRadius = new Map<number, Uint16Array>();

/** Every 16-bit mask with at most `radius` bits set: the probes around a slot value. */
function flipMasks(radius: number): Uint16Array {
  let masks = masksByRadius.get(radius);
  if (!masks) {
    const list: number[] = [];
    for (let mask = 0; mask < SLOT_VALUES; mask++) if (popcount32(mask) <= radius) list.push(mask);
    masks = Uint16Array.from(list);
    masksByRadius.set(radius, masks);
  }
  return masks;
}
