/**
 * Savings plan ranking: a row's discount `1 − spRate/paygRate`, equal to 12 decimal places
 * being a tie (kept in row order, which is the (subscription, resourceGroup, rowId) tie-break).
 */
export function discountKey(sp: number, payg: number): number {
  // A free row gains nothing from a plan, whatever its plan rate: rank it last.
  if (!(payg > 0)) return Number.NEGATIVE_INFINITY;
  return Math.round((1 - sp / payg) * 1e12);
}

export interface RankScratch {
  key: Float64Array;
  buf: Float64Array;
  idx: Int32Array;
}

/**
 * Writes into `out` the rows of [s, e) that still have quantity and a plan rate, ordered by
 * discount (largest first), stably; returns how many. Small hours sort by insertion, larger ones
 * by a bottom-up merge sort, both stable so equal discounts keep the tie-break order.
 */
export function rankByDiscount(
  s: number,
  e: number,
  rem: Float64Array,
  sp: Float64Array,
  payg: Float64Array,
  out: Int32Array,
  scratch: RankScratch,
): number {
  if (scratch.key.length < e - s) {
    const size = Math.max(64, 2 * (e - s));
    scratch.key = new Float64Array(size);
    scratch.buf = new Float64Array(size);
    scratch.idx = new Int32Array(size);
  }
  const key = scratch.key;
  let m = 0;
  for (let i = s; i < e; i++) {
    const rate = sp[i];
    if (rem[i] <= 0 || !(rate > 0)) continue;
    const k = discountKey(rate, payg[i]);
    if (m < 32) {
      // Insertion from the back: most rows share their neighbours' discount and stop at once.
      let j = m - 1;
      while (j >= 0 && key[j] < k) {
        key[j + 1] = key[j];
        out[j + 1] = out[j];
        j--;
      }
      key[j + 1] = k;
      out[j + 1] = i;
    } else {
      key[m] = k;
      out[m] = i;
    }
    m++;
  }
  if (m > 32) mergeSortDesc(out, key, m, scratch, 32);
  return m;
}

/**
 * The first `sorted` entries are already in order; the rest are not. Sorts runs of 32 by
 * insertion, then merges runs pairwise (descending by key, stable).
 */
function mergeSortDesc(out: Int32Array, key: Float64Array, m: number, scratch: RankScratch, sorted: number) {
  const RUN = 32;
  for (let start = sorted; start < m; start += RUN) {
    const end = Math.min(m, start + RUN);
    for (let i = start + 1; i < end; i++) {
      const k = key[i];
      const v = out[i];
      let j = i - 1;
      while (j >= start && key[j] < k) {
        key[j + 1] = key[j];
        out[j + 1] = out[j];
        j--;
      }
      key[j + 1] = k;
      out[j + 1] = v;
    }
  }
  let srcKey = key;
  let srcIdx = out;
  let dstKey = scratch.buf;
  let dstIdx = scratch.idx;
  for (let width = RUN; width < m; width *= 2) {
    for (let lo = 0; lo < m; lo += 2 * width) {
      const mid = Math.min(m, lo + width);
      const hi = Math.min(m, lo + 2 * width);
      let a = lo;
      let b = mid;
      let t = lo;
      while (a < mid && b < hi) {
        if (srcKey[b] > srcKey[a]) {
          dstKey[t] = srcKey[b];
          dstIdx[t++] = srcIdx[b++];
        } else {
          dstKey[t] = srcKey[a];
          dstIdx[t++] = srcIdx[a++];
        }
      }
      while (a < mid) {
        dstKey[t] = srcKey[a];
        dstIdx[t++] = srcIdx[a++];
      }
      while (b < hi) {
        dstKey[t] = srcKey[b];
        dstIdx[t++] = srcIdx[b++];
      }
    }
    const tk = srcKey;
    srcKey = dstKey;
    dstKey = tk;
    const ti = srcIdx;
    srcIdx = dstIdx;
    dstIdx = ti;
  }
  if (srcIdx !== out) {
    out.set(srcIdx.subarray(0, m));
    key.set(srcKey.subarray(0, m));
  }
}
