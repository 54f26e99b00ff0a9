// One app out of a mix, by its band: an FFT of the whole recording with every bin outside
// [lo, hi) Hz set to zero, and back. Exact for apps whose sounds never leave their bands (the
// demo's are made so); no filter skirts, so an app 20 LU louder leaks nothing into another's
// band. Pure.

/** In-place radix-2 complex FFT (inverse: conjugate twiddles, no scaling); n a power of two. */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(ang), wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1, ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k, b = a + len / 2;
        const xr = (re[b] as number) * cr - (im[b] as number) * ci;
        const xi = (re[b] as number) * ci + (im[b] as number) * cr;
        re[b] = (re[a] as number) - xr;
        im[b] = (im[a] as number) - xi;
        re[a] = (re[a] as number) + xr;
        im[a] = (im[a] as number) + xi;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
}

/** The part of a mono signal in [lo, hi) Hz. */
export function bandPass(x: Float32Array, rate: number, lo: number, hi: number): Float32Array {
  let n = 1;
  while (n < x.length) n <<= 1;
  const re = new Float64Array(n), im = new Float64Array(n);
  re.set(x);
  fft(re, im, false);
  for (let k = 0; k < n; k++) {
    const f = (Math.min(k, n - k) * rate) / n;
    if (f < lo || f >= hi) re[k] = im[k] = 0;
  }
  fft(re, im, true);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (re[i] as number) / n;
  return out;
}
