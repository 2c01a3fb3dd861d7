import sharp, { type Sharp } from 'sharp';

/**
 * Synthetic pictures with structure at every scale, as photographs have: a tilted gradient, then
 * ever smaller discs and bars, then fine grain. Perceptual hashes need that structure to be
 * meaningful (PDQ rates flat pictures as low quality), so robustness is tested on these.
 * Made from raw pixels: no image decoder is involved in making them.
 */
export function texturedScene(seed: number, width: number, height: number): Buffer {
  const next = mulberry32(seed);
  const pixels = Buffer.alloc(width * height * 3);
  const from = [next(), next(), next()].map((v) => v * 255);
  const to = [next(), next(), next()].map((v) => v * 255);
  const angle = next() * Math.PI * 2;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 3) {
      const t = Math.min(1, Math.max(0, 0.5 + ((x / width - 0.5) * cos + (y / height - 0.5) * sin)));
      for (let c = 0; c < 3; c++) pixels[o + c] = (from[c] as number) + ((to[c] as number) - (from[c] as number)) * t;
    }
  }
  const shapes = 24;
  for (let i = 0; i < shapes; i++) {
    const size = Math.min(width, height) * (0.3 * (1 - i / shapes) + 0.08);
    const cx = next() * width;
    const cy = next() * height;
    const colour = [next() * 255, next() * 255, next() * 255];
    const disc = next() < 0.5;
    const aspect = 0.3 + next();
    for (let y = Math.max(0, Math.floor(cy - size)); y < Math.min(height, cy + size); y++) {
      for (let x = Math.max(0, Math.floor(cx - size)); x < Math.min(width, cx + size); x++) {
        const dx = (x - cx) / size;
        const dy = (y - cy) / (size * aspect);
        if (disc ? dx * dx + dy * dy < 1 : Math.abs(dx) < 1 && Math.abs(dy) < 1) {
          pixels.set(colour, (y * width + x) * 3);
        }
      }
    }
  }
  for (let i = 0; i < pixels.length; i++)
    pixels[i] = Math.max(0, Math.min(255, (pixels[i] as number) + (next() - 0.5) * 16));
  return pixels;
}

/** The scene as a sharp pipeline on raw pixels, ready to transform and encode. */
export function sceneImage(seed: number, width: number, height: number): Sharp {
  return sharp(texturedScene(seed, width, height), { raw: { width, height, channels: 3 } });
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
