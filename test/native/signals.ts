// Test signals, synthesised: EBU Tech 3341/3342 sequences are sine bursts at stated levels.

export interface Signal {
  rate: number;
  channels: number;
  samples: Float32Array; // interleaved
}

/** A 1 kHz (or given) sine on every listed channel, amplitude in dBFS, phase in degrees. */
export function tone(rate: number, channels: number, segments: { seconds: number; dbfs: number | number[] | null }[], freq = 1000, phaseDeg = 0): Signal {
  const total = segments.reduce((n, s) => n + Math.round(s.seconds * rate), 0);
  const samples = new Float32Array(total * channels);
  let i = 0;
  for (const seg of segments) {
    const n = Math.round(seg.seconds * rate);
    for (let k = 0; k < n; k++, i++) {
      const v = Math.sin((2 * Math.PI * freq * i) / rate + (phaseDeg * Math.PI) / 180);
      for (let c = 0; c < channels; c++) {
        const db = Array.isArray(seg.dbfs) ? seg.dbfs[c] : seg.dbfs;
        samples[i * channels + c] = db === null || db === undefined ? 0 : v * 10 ** (db / 20);
      }
    }
  }
  return { rate, channels, samples };
}

export function bytes(s: Float32Array): Uint8Array {
  return new Uint8Array(s.buffer, s.byteOffset, s.byteLength);
}

/** Raised-cosine fade in and out over `seconds`, in place. */
export function fade(sig: Signal, seconds: number): Signal {
  const frames = sig.samples.length / sig.channels;
  const n = Math.round(seconds * sig.rate);
  for (let i = 0; i < n; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * i) / n);
    for (let c = 0; c < sig.channels; c++) {
      sig.samples[i * sig.channels + c]! *= g;
      sig.samples[(frames - 1 - i) * sig.channels + c]! *= g;
    }
  }
  return sig;
}
