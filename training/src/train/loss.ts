/**
 * Class-weighted binary cross-entropy on logits (numerically stable: softplus form).
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * loss = mean over images and labels of  w_l·y·softplus(−z) + (1 − y)·softplus(z).
 * @param logits [N, L] float32. @param targets [N, L] float32 in {0, 1}. @param positiveWeights [L] float32.
 * @return scalar float32.
 */
export function weightedBceWithLogits(logits: tf.Tensor2D, targets: tf.Tensor2D, positiveWeights: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const pos = tf.mul(tf.mul(targets, positiveWeights), tf.softplus(tf.neg(logits)));
    const neg = tf.mul(tf.sub(1, targets), tf.softplus(logits));
    return tf.mean(tf.add(pos, neg)) as tf.Scalar;
  });
}

/**
 * Positive weight per label: sqrt(negatives / positives) in the training split, clipped to
 * [1, maxWeight]. The square root balances rare findings part of the way only: a weight w
 * shifts the learned logits by about log(w), which per-label temperature scaling cannot undo,
 * so full balancing would cost calibration.
 */
export function positiveWeights(labels: readonly Uint8Array[], labelCount: number, maxWeight = 10): Float32Array {
  const weights = new Float32Array(labelCount);
  for (let j = 0; j < labelCount; j++) {
    let positives = 0;
    for (const row of labels) positives += row[j] as number;
    const negatives = labels.length - positives;
    weights[j] = positives === 0 ? 1 : Math.min(maxWeight, Math.max(1, Math.sqrt(negatives / positives)));
  }
  return weights;
}
