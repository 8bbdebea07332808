/**
 * The Teams app icons, drawn with pngjs: a 192×192 colour icon (the letters "SI" in white on a
 * teal gear on the navy brand colour) and a 32×32 outline icon (the letters in white on a
 * transparent background, as Teams asks). Shapes are signed distances; pixels on an edge are
 * sampled 4×4 for smooth edges.
 */
import { PNG } from 'pngjs';
import { PALETTE } from '../webchat/palette';

type Rgb = readonly [number, number, number];
type Point = readonly [number, number];
/** Distance from a point to a shape's edge: negative inside. */
type Shape = (x: number, y: number) => number;

function rgb(hex: string): Rgb {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function segmentDistance(p: Point, a: Point, b: Point): number {
  const [px, py] = p;
  const [ax, ay] = a;
  const [bx, by] = b;
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** A stroke of width w along the segment a–b, with round ends. */
function line(a: Point, b: Point, w: number): Shape {
  return (x, y) => segmentDistance([x, y], a, b) - w / 2;
}

/** A stroke of width w along a circle arc, from angle `from` to `to` (degrees, counter-clockwise, y up). */
function arc(c: Point, r: number, from: number, to: number, w: number): Shape {
  const rad = (d: number) => (d * Math.PI) / 180;
  const end = (d: number): Point => [c[0] + r * Math.cos(rad(d)), c[1] - r * Math.sin(rad(d))];
  const [e1, e2] = [end(from), end(to)];
  const span = (((to - from) % 360) + 360) % 360;
  return (x, y) => {
    const angle = (Math.atan2(c[1] - y, x - c[0]) * 180) / Math.PI;
    const offset = (((angle - from) % 360) + 360) % 360;
    const d = offset <= span ? Math.abs(Math.hypot(x - c[0], y - c[1]) - r) : Math.min(Math.hypot(x - e1[0], y - e1[1]), Math.hypot(x - e2[0], y - e2[1]));
    return d - w / 2;
  };
}

function union(...shapes: Shape[]): Shape {
  return (x, y) => {
    let d = Infinity;
    for (const s of shapes) {
      const v = s(x, y);
      if (v < d) d = v;
    }
    return d;
  };
}

/** The letters "SI" centred on (cx, cy), `h` high, strokes `w` wide. */
function letters(cx: number, cy: number, h: number, w: number): Shape {
  const r = (h - w) / 4; // two stacked circles make the S
  const gap = h * 0.28;
  const sx = cx - gap / 2 - r; // centre of the S
  const ix = cx + gap / 2 + r * 0.55; // the I
  const s = union(arc([sx, cy - r], r, 20, 270, w), arc([sx, cy + r], r, -160, 90, w));
  const i = line([ix, cy - 2 * r], [ix, cy + 2 * r], w);
  return union(s, i);
}

/** A gear: `teeth` square teeth from radius rBody out to rTooth, around a hole of radius rHole. */
function gear(cx: number, cy: number, rBody: number, rTooth: number, rHole: number, teeth: number): Shape {
  const sector = (2 * Math.PI) / teeth;
  return (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    const phase = (((Math.atan2(y - cy, x - cx) / sector) % 1) + 1) % 1; // 0..0.5 a tooth, 0.5..1 a gap
    const flank = Math.min(phase, Math.abs(phase - 0.5), 1 - phase) * sector * d; // to the nearest tooth flank
    let v: number;
    if (phase < 0.5) v = d < rTooth ? -Math.min(rTooth - d, d > rBody ? flank : Math.hypot(flank, rBody - d)) : d - rTooth;
    else v = d <= rBody ? d - rBody : Math.min(d - rBody, d < rTooth ? flank : Math.hypot(flank, d - rTooth));
    return Math.max(v, rHole - d);
  };
}

/** The colour at a point: the topmost layer that covers it, else the background. */
function colourAt(x: number, y: number, background: Rgb | null, layers: ReadonlyArray<readonly [Shape, Rgb]>): Rgb | null {
  for (let l = layers.length - 1; l >= 0; l--) if (layers[l]![0](x, y) <= 0) return layers[l]![1];
  return background;
}

/** True when no shape edge passes within a pixel's reach of its centre. */
function farFromEdges(x: number, y: number, layers: ReadonlyArray<readonly [Shape, Rgb]>): boolean {
  for (const [shape] of layers) if (Math.abs(shape(x, y)) < 0.75) return false;
  return true;
}

function render(size: number, background: Rgb | null, layers: ReadonlyArray<readonly [Shape, Rgb]>): Buffer {
  const png = new PNG({ width: size, height: size });
  const n = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      let samples = n * n;
      if (farFromEdges(x + 0.5, y + 0.5, layers)) {
        // One sample is enough inside a flat area; edges get 4×4 samples.
        samples = 1;
        const c = colourAt(x + 0.5, y + 0.5, background, layers);
        if (c) [r, g, b, a] = [c[0], c[1], c[2], 1];
      } else {
        for (let sy = 0; sy < n; sy++) {
          for (let sx = 0; sx < n; sx++) {
            const c = colourAt(x + (sx + 0.5) / n, y + (sy + 0.5) / n, background, layers);
            if (c) {
              r += c[0];
              g += c[1];
              b += c[2];
              a += 1;
            }
          }
        }
      }
      const i = (y * size + x) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round((a / samples) * 255);
    }
  }
  return PNG.sync.write(png);
}

/** 192×192, opaque: navy background, teal gear, white "SI". */
export function colorIcon(): Buffer {
  const c = 96;
  return render(192, rgb(PALETTE.navy), [
    [gear(c, c, 62, 74, 0, 10), rgb(PALETTE.teal)],
    [(x, y) => Math.hypot(x - c, y - c) - 50, rgb(PALETTE.navy)],
    [letters(c, c, 52, 11), rgb(PALETTE.white)],
  ]);
}

/** 32×32: white "SI" on a transparent background. */
export function outlineIcon(): Buffer {
  return render(32, null, [[letters(16, 16, 22, 3.2), [255, 255, 255]]]);
}
