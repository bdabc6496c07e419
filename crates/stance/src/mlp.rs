//! A small multilayer perceptron: standardised inputs, one hidden ReLU
//! layer, softmax over the classes; trained with Adam on a weighted
//! cross-entropy. Written here rather than taken from a machine-learning
//! crate: it is about a hundred lines, trains in seconds on one core, needs
//! no native library or large dependency in the default build, and its
//! weights are a small JSON file that loads offline.

use serde::{Deserialize, Serialize};

/// The trained network.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Mlp {
    /// Per-feature mean and standard deviation (from the training rows).
    pub mean: Vec<f32>,
    /// See `mean`.
    pub std: Vec<f32>,
    /// Hidden layer: `hidden × inputs` weights, row-major.
    pub w1: Vec<f32>,
    /// Hidden biases.
    pub b1: Vec<f32>,
    /// Output layer: `classes × hidden`, row-major.
    pub w2: Vec<f32>,
    /// Output biases.
    pub b2: Vec<f32>,
}

impl Mlp {
    fn inputs(&self) -> usize {
        self.mean.len()
    }

    fn hidden(&self) -> usize {
        self.b1.len()
    }

    /// Class probabilities for one row of features.
    pub fn predict(&self, x: &[f32]) -> Vec<f32> {
        let (z, h) = self.forward(x);
        let _ = z;
        softmax(&self.output(&h))
    }

    /// Standardised input and hidden activations.
    fn forward(&self, x: &[f32]) -> (Vec<f32>, Vec<f32>) {
        debug_assert_eq!(x.len(), self.inputs(), "one value per input");
        let z: Vec<f32> = x
            .iter()
            .zip(self.mean.iter().zip(&self.std))
            .map(|(v, (m, s))| (v - m) / s)
            .collect();
        let h = (0..self.hidden())
            .map(|j| {
                let row = &self.w1[j * self.inputs()..(j + 1) * self.inputs()];
                (self.b1[j] + row.iter().zip(&z).map(|(w, v)| w * v).sum::<f32>()).max(0.0)
            })
            .collect();
        (z, h)
    }

    fn output(&self, h: &[f32]) -> Vec<f32> {
        self.b2
            .iter()
            .enumerate()
            .map(|(k, b)| {
                b + self.w2[k * h.len()..(k + 1) * h.len()]
                    .iter()
                    .zip(h)
                    .map(|(w, v)| w * v)
                    .sum::<f32>()
            })
            .collect()
    }
}

/// Probabilities from raw class scores (shared with the trees).
pub(crate) fn softmax(o: &[f32]) -> Vec<f32> {
    let m = o.iter().copied().fold(f32::MIN, f32::max);
    let e: Vec<f32> = o.iter().map(|v| (v - m).exp()).collect();
    let s: f32 = e.iter().sum();
    e.into_iter().map(|v| v / s).collect()
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Hidden units.
    pub hidden: usize,
    /// Passes over the training rows.
    pub epochs: usize,
    /// Adam step size.
    pub rate: f32,
    /// Rows per step.
    pub batch: usize,
    /// L2 penalty on the weights.
    pub l2: f32,
    /// Seed of the initial weights and the row order.
    pub seed: u64,
}

/// A deterministic generator (SplitMix64): the same seed, the same model
/// (shared with the trees).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn uniform(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// Trains on rows `x` with classes `y` (0..classes), each class's loss
/// weighted by `weights`. Calls `each_epoch(epoch, &model)` after every
/// pass (to watch a development split; it never feeds back).
pub fn train(
    x: &[Vec<f32>],
    y: &[usize],
    weights: &[f32],
    s: Settings,
    mut each_epoch: impl FnMut(usize, &Mlp),
) -> Mlp {
    let (d, k, h) = (x[0].len(), weights.len(), s.hidden);
    let n = x.len() as f32;
    let mean: Vec<f32> = (0..d)
        .map(|j| x.iter().map(|r| r[j]).sum::<f32>() / n)
        .collect();
    let std: Vec<f32> = (0..d)
        .map(|j| {
            let v = x.iter().map(|r| (r[j] - mean[j]).powi(2)).sum::<f32>() / n;
            v.sqrt().max(1e-3)
        })
        .collect();
    let mut rng = Rng(s.seed);
    let mut init = |fan_in: usize, len: usize| -> Vec<f32> {
        let scale = (2.0 / fan_in as f32).sqrt();
        (0..len)
            .map(|_| (rng.uniform() * 2.0 - 1.0) * scale)
            .collect()
    };
    let mut m = Mlp {
        w1: init(d, h * d),
        b1: vec![0.0; h],
        w2: init(h, k * h),
        b2: vec![0.0; k],
        mean,
        std,
    };
    let mut adam = Adam::new(&[m.w1.len(), h, m.w2.len(), k]);
    let mut order: Vec<usize> = (0..x.len()).collect();
    for epoch in 0..s.epochs {
        for i in (1..order.len()).rev() {
            order.swap(i, (rng.next() % (i as u64 + 1)) as usize);
        }
        for chunk in order.chunks(s.batch) {
            let mut g = [
                vec![0.0; m.w1.len()],
                vec![0.0; h],
                vec![0.0; m.w2.len()],
                vec![0.0; k],
            ];
            for &r in chunk {
                let (z, hid) = m.forward(&x[r]);
                let p = softmax(&m.output(&hid));
                let wt = weights[y[r]];
                for c in 0..k {
                    let delta = wt * (p[c] - f32::from(u8::from(c == y[r])));
                    g[3][c] += delta;
                    for j in 0..h {
                        g[2][c * h + j] += delta * hid[j];
                    }
                }
                for j in 0..h {
                    if hid[j] <= 0.0 {
                        continue;
                    }
                    let back: f32 = (0..k)
                        .map(|c| {
                            weights[y[r]]
                                * (p[c] - f32::from(u8::from(c == y[r])))
                                * m.w2[c * h + j]
                        })
                        .sum();
                    g[1][j] += back;
                    for (i, zi) in z.iter().enumerate() {
                        g[0][j * d + i] += back * zi;
                    }
                }
            }
            let scale = 1.0 / chunk.len() as f32;
            for (gi, w) in g[0].iter_mut().zip(&m.w1) {
                *gi = *gi * scale + s.l2 * w;
            }
            for (gi, w) in g[2].iter_mut().zip(&m.w2) {
                *gi = *gi * scale + s.l2 * w;
            }
            for l in [1, 3] {
                g[l].iter_mut().for_each(|v| *v *= scale);
            }
            adam.step(s.rate, [&mut m.w1, &mut m.b1, &mut m.w2, &mut m.b2], &g);
        }
        each_epoch(epoch + 1, &m);
    }
    m
}

struct Adam {
    t: i32,
    m: Vec<Vec<f32>>,
    v: Vec<Vec<f32>>,
}

impl Adam {
    fn new(sizes: &[usize]) -> Adam {
        Adam {
            t: 0,
            m: sizes.iter().map(|&n| vec![0.0; n]).collect(),
            v: sizes.iter().map(|&n| vec![0.0; n]).collect(),
        }
    }

    fn step(&mut self, rate: f32, params: [&mut Vec<f32>; 4], grads: &[Vec<f32>; 4]) {
        let (b1, b2, eps) = (0.9f32, 0.999f32, 1e-8f32);
        self.t += 1;
        let c1 = 1.0 - b1.powi(self.t);
        let c2 = 1.0 - b2.powi(self.t);
        for (l, p) in params.into_iter().enumerate() {
            for i in 0..p.len() {
                let g = grads[l][i];
                self.m[l][i] = b1 * self.m[l][i] + (1.0 - b1) * g;
                self.v[l][i] = b2 * self.v[l][i] + (1.0 - b2) * g * g;
                p[i] -= rate * (self.m[l][i] / c1) / ((self.v[l][i] / c2).sqrt() + eps);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A problem no linear model solves (XOR of two signs): the hidden
    /// layer must learn it.
    #[test]
    fn learns_a_nonlinear_rule_deterministically() {
        let mut rng = Rng(3);
        let x: Vec<Vec<f32>> = (0..400)
            .map(|_| vec![rng.uniform() * 2.0 - 1.0, rng.uniform() * 2.0 - 1.0])
            .collect();
        let y: Vec<usize> = x
            .iter()
            .map(|r| usize::from((r[0] > 0.0) != (r[1] > 0.0)))
            .collect();
        let s = Settings {
            hidden: 16,
            epochs: 60,
            rate: 0.01,
            batch: 16,
            l2: 0.0,
            seed: 1,
        };
        let m = train(&x, &y, &[1.0, 1.0], s, |_, _| {});
        let right = x
            .iter()
            .zip(&y)
            .filter(|(r, &c)| {
                let p = m.predict(r);
                usize::from(p[1] > p[0]) == c
            })
            .count();
        assert!(right >= 360, "{right} of 400");
        let again = train(&x, &y, &[1.0, 1.0], s, |_, _| {});
        assert_eq!(m.w1, again.w1, "same seed, same weights");
    }
}
