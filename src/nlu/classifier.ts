/**
 * A small linear classifier (multinomial logistic regression) over the matching keys and the small
 * words, trained on the knowledge's own questions when a snapshot is built. Where the index asks
 * "how much of the message does this entry cover", the classifier asks "which entry do these words
 * point to" — it learns that "regels" points to robot safety, "kost" to the cost entries, and "hoe"
 * to how to start rather than what a thing is. Deterministic: the same knowledge always trains the
 * same weights.
 */

// Module-level copies: inside a vm context (Jest's test environment) each global lookup such as
// `Math` goes through the context's interceptors, which made training several times slower there.
const { abs, exp, imul } = Math;

export interface TrainingExample {
  /** Matching keys with their weights. */
  readonly features: ReadonlyMap<string, number>;
  readonly label: number;
  /** How much this example counts (answers' sentences count less than questions). */
  readonly weight: number;
}

export interface ClassifierOptions {
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
}

/** A seeded shuffle, so that training is repeatable. */
function shuffled(n: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s = (imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export class IntentClassifier {
  private readonly featureIndex = new Map<string, number>();
  private readonly weights: Float32Array;
  private readonly bias: Float32Array;
  private readonly logits: Float64Array;

  constructor(
    examples: readonly TrainingExample[],
    readonly labels: number,
    options: ClassifierOptions,
  ) {
    for (const e of examples) for (const k of e.features.keys()) if (!this.featureIndex.has(k)) this.featureIndex.set(k, this.featureIndex.size);
    this.weights = new Float32Array(this.featureIndex.size * labels);
    this.bias = new Float32Array(labels);
    this.logits = new Float64Array(labels);
    const encoded = examples.map((e) => ({
      idx: Int32Array.from([...e.features.keys()].map((k) => this.featureIndex.get(k)!)),
      val: Float32Array.from(e.features.values()),
      label: e.label,
      weight: e.weight,
    }));
    const probs = new Float64Array(labels);
    // The labels an example moves (a gradient worth applying), and by how much.
    const moved = new Int32Array(labels);
    const grads = new Float64Array(labels);
    const decay = 1 - options.l2;
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const rate = options.learningRate / (1 + epoch * 0.3);
      for (const i of shuffled(encoded.length, epoch + 1)) {
        const ex = encoded[i]!;
        this.scores(ex.idx, ex.val, probs);
        let n = 0;
        for (let c = 0; c < labels; c++) {
          const g = rate * ex.weight * ((c === ex.label ? 1 : 0) - probs[c]!);
          if (abs(g) < 1e-4) continue; // too small to matter (most labels, once trained)
          this.bias[c]! += g * 0.1;
          moved[n] = c;
          grads[n++] = g;
        }
        // Feature by feature: a feature's weights for all labels lie side by side.
        for (let f = 0; f < ex.idx.length; f++) {
          const base = ex.idx[f]! * labels;
          const v = ex.val[f]!;
          for (let k = 0; k < n; k++) {
            const at = base + moved[k]!;
            this.weights[at] = this.weights[at]! * decay + grads[k]! * v;
          }
        }
      }
    }
  }

  /** Softmax probabilities into `out`. */
  private scores(idx: Int32Array, val: Float32Array, out: Float64Array): void {
    const n = this.labels;
    for (let c = 0; c < n; c++) this.logits[c] = this.bias[c]!;
    for (let f = 0; f < idx.length; f++) {
      const base = idx[f]! * n;
      const v = val[f]!;
      for (let c = 0; c < n; c++) this.logits[c]! += this.weights[base + c]! * v;
    }
    let max = -Infinity;
    for (let c = 0; c < n; c++) if (this.logits[c]! > max) max = this.logits[c]!;
    let sum = 0;
    for (let c = 0; c < n; c++) {
      const e = exp(this.logits[c]! - max);
      out[c] = e;
      sum += e;
    }
    for (let c = 0; c < n; c++) out[c]! /= sum;
  }

  /**
   * Probabilities per label for a message's features (a key may come in several variants: the
   * best-known one counts). Unknown keys are ignored.
   */
  predict(features: ReadonlyArray<{ keys: readonly string[]; weight: number }>, out: Float64Array): void {
    const idx: number[] = [];
    const val: number[] = [];
    for (const f of features) {
      for (const k of f.keys) {
        const i = this.featureIndex.get(k);
        if (i !== undefined) {
          idx.push(i);
          val.push(f.weight);
          break;
        }
      }
    }
    this.scores(Int32Array.from(idx), Float32Array.from(val), out);
  }
}
