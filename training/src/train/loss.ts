/**
 * Class-weighted binary cross-entropy on logits (numerically stable: softplus form), masked
 * where a label is unknown: a NaN target (an uncertain label under U-Ignore, see
 * training/src/data/label-map.ts) contributes nothing to the loss and no gradient — it does
 * not count as a negative.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * loss = Σ over known (image, label) of  w_l·y·softplus(−z) + (1 − y)·softplus(z),
 * divided by the number of known entries (the plain mean when every label is known).
 * @param logits [N, L] float32. @param targets [N, L] float32 in {0, 1}, NaN where unknown.
 * @param positiveWeights [L] float32.
 * @return scalar float32 (0 when no entry is known).
 */
export function weightedBceWithLogits(logits: tf.Tensor2D, targets: tf.Tensor2D, positiveWeights: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const unknown = tf.isNaN(targets);
    const known = tf.cast(tf.logicalNot(unknown), 'float32');
    // Zero the NaNs before they meet the logits: 0·NaN would be NaN in the loss and its gradient.
    const y = tf.where(unknown, tf.zerosLike(targets), targets);
    const pos = tf.mul(tf.mul(y, positiveWeights), tf.softplus(tf.neg(logits)));
    const neg = tf.mul(tf.sub(1, y), tf.softplus(logits));
    const total = tf.sum(tf.mul(tf.add(pos, neg), known));
    return tf.div(total, tf.maximum(tf.sum(known), 1)) as tf.Scalar;
  });
}

/**
 * Positive weight per label: sqrt(negatives / positives) in the training split, clipped to
 * [1, maxWeight]. The square root balances rare findings part of the way only: a weight w
 * shifts the learned logits by about log(w), which per-label temperature scaling cannot undo,
 * so full balancing would cost calibration. Unknown labels (`known[j] = 0`) are not counted.
 */
export function positiveWeights(labels: readonly Uint8Array[], labelCount: number, maxWeight = 10, known?: readonly (Uint8Array | undefined)[]): Float32Array {
  const weights = new Float32Array(labelCount);
  for (let j = 0; j < labelCount; j++) {
    let positives = 0;
    let total = 0;
    labels.forEach((row, i) => {
      if (known?.[i]?.[j] === 0) return;
      total++;
      positives += row[j] as number;
    });
    const negatives = total - positives;
    weights[j] = positives === 0 ? 1 : Math.min(maxWeight, Math.max(1, Math.sqrt(negatives / positives)));
  }
  return weights;
}
