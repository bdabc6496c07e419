//! Gradient-boosted decision trees for several classes: one small tree per
//! class and round, fitted to the gradient and hessian of the softmax
//! cross-entropy (second-order boosting, as XGBoost and LightGBM do), grown
//! leaf-wise on binned features with a minimum count per leaf and an L2
//! penalty on leaf values.
//!
//! Written here rather than taken from a crate: inference is a walk down a
//! few small trees (tens of lines), training on binned features is about
//! two hundred, the model is a small JSON file that loads offline, and the
//! maintained boosting libraries are native (LightGBM, XGBoost) or young.
//! Trees suit the stance features better than the network they replace:
//! counts, shares and binary bag features on different scales, where a
//! few thresholds carry the signal (on the FNC-1 dev bodies the trees
//! generalise better, see `cargo xtask train-stance`).

use crate::mlp::{softmax, Rng};
use serde::{Deserialize, Serialize};

/// A trained ensemble.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Forest {
    /// Raw score of each class before any tree (log of its weighted prior).
    pub base: Vec<f32>,
    /// Trees in round order, one per class in each round: tree `r * classes
    /// + k` adds to class `k`.
    pub trees: Vec<Tree>,
}

/// One tree: nodes in an array, the root first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tree {
    /// The nodes.
    pub nodes: Vec<Node>,
}

/// A split (`x[feature] <= threshold` goes left) or, when `feature` is
/// `None`, a leaf adding `value`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Node {
    /// Feature tested; `None` at a leaf.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "f")]
    pub feature: Option<u32>,
    /// Threshold of the test.
    #[serde(default, rename = "t", skip_serializing_if = "is_zero")]
    pub threshold: f32,
    /// Children (indexes into the tree's nodes).
    #[serde(default, rename = "c", skip_serializing_if = "is_leaf")]
    pub children: [u32; 2],
    /// Leaf value (already scaled by the learning rate).
    #[serde(default, rename = "v", skip_serializing_if = "is_zero")]
    pub value: f32,
}

// Leaves write no threshold or children, splits no value: the model file
// stays about half the size.
fn is_zero(v: &f32) -> bool {
    *v == 0.0
}

fn is_leaf(c: &[u32; 2]) -> bool {
    *c == [0, 0]
}

impl Node {
    fn leaf(value: f32) -> Node {
        Node {
            feature: None,
            threshold: 0.0,
            children: [0, 0],
            value,
        }
    }
}

impl Tree {
    /// What the tree adds for one row of features.
    pub fn eval(&self, x: &[f32]) -> f32 {
        let mut i = 0;
        loop {
            let n = &self.nodes[i];
            match n.feature {
                None => return n.value,
                Some(f) => {
                    let left = x[f as usize] <= n.threshold;
                    i = n.children[usize::from(!left)] as usize;
                }
            }
        }
    }
}

impl Forest {
    /// How many classes it scores.
    pub fn classes(&self) -> usize {
        self.base.len()
    }

    /// Class probabilities for one row of features.
    pub fn predict(&self, x: &[f32]) -> Vec<f32> {
        let k = self.classes();
        let mut raw = self.base.clone();
        for (i, t) in self.trees.iter().enumerate() {
            raw[i % k] += t.eval(x);
        }
        softmax(&raw)
    }

    /// Keeps the first `rounds` rounds (the number chosen on held-out data).
    pub fn truncate(&mut self, rounds: usize) {
        let k = self.classes();
        self.trees.truncate(rounds * k);
    }
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Boosting rounds.
    pub rounds: usize,
    /// Shrinkage of every leaf value.
    pub rate: f32,
    /// Leaves per tree at most.
    pub leaves: usize,
    /// Training rows a leaf holds at least.
    pub min_leaf: usize,
    /// L2 penalty on leaf values.
    pub l2: f32,
    /// Bins per feature at most (quantiles of the training values).
    pub bins: usize,
    /// Share of the features each tree may split on (drawn per tree from a
    /// fixed seed): spreads the signal over correlated features, so that
    /// no single strong feature (a verbatim copy of the claim) decides
    /// alone where the others (a denial around it) disagree.
    pub features_per_tree: f32,
}

/// The training rows with every feature binned: `bins[f][row]`, and the
/// upper edge of each bin (the threshold a split at that bin stores).
struct Binned {
    bins: Vec<Vec<u8>>,
    edges: Vec<Vec<f32>>,
}

fn bin(x: &[Vec<f32>], max_bins: usize) -> Binned {
    let n_features = x.first().map_or(0, Vec::len);
    let mut bins = Vec::with_capacity(n_features);
    let mut edges = Vec::with_capacity(n_features);
    for f in 0..n_features {
        let mut values: Vec<f32> = x.iter().map(|r| r[f]).collect();
        values.sort_by(f32::total_cmp);
        values.dedup();
        // Upper edges: every distinct value when few, else quantiles.
        let e: Vec<f32> = if values.len() <= max_bins {
            values
        } else {
            let mut q: Vec<f32> = (1..=max_bins)
                .map(|i| values[(i * values.len() / max_bins).min(values.len()) - 1])
                .collect();
            q.dedup();
            q
        };
        bins.push(
            x.iter()
                .map(|r| e.partition_point(|&edge| edge < r[f]).min(e.len() - 1) as u8)
                .collect(),
        );
        edges.push(e);
    }
    Binned { bins, edges }
}

/// Fits a forest of `classes` to rows `x` with labels `y` and per-row
/// weights. `each` sees the forest after every round (to choose the number
/// of rounds on held-out data).
pub fn train(
    x: &[Vec<f32>],
    y: &[usize],
    weights: &[f32],
    classes: usize,
    s: Settings,
    mut each: impl FnMut(usize, &Forest),
) -> Forest {
    assert!(s.bins <= 256, "bins are stored as bytes");
    let binned = bin(x, s.bins);
    let total: f32 = weights.iter().sum();
    let base: Vec<f32> = (0..classes)
        .map(|k| {
            let w: f32 = y
                .iter()
                .zip(weights)
                .filter(|(c, _)| **c == k)
                .map(|(_, w)| w)
                .sum();
            (w.max(1e-6) / total).ln()
        })
        .collect();
    let mut raw: Vec<Vec<f32>> = vec![base.clone(); x.len()];
    let mut rng = Rng(0x5EED);
    let mut forest = Forest {
        base,
        trees: Vec::new(),
    };
    for round in 1..=s.rounds {
        let p: Vec<Vec<f32>> = raw.iter().map(|r| softmax(r)).collect();
        for k in 0..classes {
            let (g, h): (Vec<f32>, Vec<f32>) = (0..x.len())
                .map(|i| {
                    let pk = p[i][k];
                    let t = f32::from(u8::from(y[i] == k));
                    (
                        weights[i] * (pk - t),
                        (weights[i] * pk * (1.0 - pk)).max(1e-6),
                    )
                })
                .unzip();
            let allowed = draw_features(binned.bins.len(), s.features_per_tree, &mut rng);
            let tree = grow(&binned, &allowed, &g, &h, s);
            for (i, r) in raw.iter_mut().enumerate() {
                r[k] += tree.eval(&x[i]);
            }
            forest.trees.push(tree);
        }
        each(round, &forest);
    }
    forest
}

/// Which features a tree may use: each with probability `share` (at
/// least one), drawn from the network's deterministic generator.
fn draw_features(n: usize, share: f32, rng: &mut Rng) -> Vec<bool> {
    let mut allowed: Vec<bool> = (0..n).map(|_| rng.uniform() < share).collect();
    if !allowed.iter().any(|&a| a) && n > 0 {
        allowed[0] = true;
    }
    allowed
}

/// A leaf being grown: its node, its rows and its best split.
struct Open {
    node: usize,
    rows: Vec<u32>,
    split: Option<Split>,
}

#[derive(Clone, Copy)]
struct Split {
    gain: f32,
    feature: usize,
    bin: u8,
}

/// Grows one tree leaf-wise: the open leaf whose best split gains most is
/// split next, until `s.leaves` leaves.
fn grow(b: &Binned, allowed: &[bool], g: &[f32], h: &[f32], s: Settings) -> Tree {
    let leaf = |rows: &[u32]| {
        let (gs, hs) = sums(rows, g, h);
        -gs / (hs + s.l2) * s.rate
    };
    let all: Vec<u32> = (0..g.len() as u32).collect();
    let mut tree = Tree {
        nodes: vec![Node::leaf(leaf(&all))],
    };
    let split = best_split(b, allowed, &all, g, h, s);
    let mut open = vec![Open {
        node: 0,
        rows: all,
        split,
    }];
    let mut leaves = 1;
    while leaves < s.leaves {
        let Some(at) = (0..open.len())
            .filter(|&i| open[i].split.is_some())
            .max_by(|&i, &j| gain(&open[i]).total_cmp(&gain(&open[j])))
        else {
            break;
        };
        let o = open.swap_remove(at);
        let sp = o.split.expect("filtered on a split");
        let (l, r): (Vec<u32>, Vec<u32>) = o
            .rows
            .iter()
            .partition(|&&i| b.bins[sp.feature][i as usize] <= sp.bin);
        let base = tree.nodes.len();
        let n = &mut tree.nodes[o.node];
        n.feature = Some(sp.feature as u32);
        n.threshold = b.edges[sp.feature][sp.bin as usize];
        n.children = [base as u32, base as u32 + 1];
        n.value = 0.0;
        for rows in [l, r] {
            tree.nodes.push(Node::leaf(leaf(&rows)));
            let split = best_split(b, allowed, &rows, g, h, s);
            open.push(Open {
                node: tree.nodes.len() - 1,
                rows,
                split,
            });
        }
        leaves += 1;
    }
    tree
}

fn gain(o: &Open) -> f32 {
    o.split.map_or(f32::MIN, |s| s.gain)
}

fn sums(rows: &[u32], g: &[f32], h: &[f32]) -> (f32, f32) {
    rows.iter().fold((0.0, 0.0), |(a, b), &i| {
        (a + g[i as usize], b + h[i as usize])
    })
}

/// The best split of `rows` over every feature and bin (histograms of
/// gradient, hessian and count per bin), or `None` when no split leaves
/// `s.min_leaf` rows on both sides with a positive gain. Only `allowed`
/// features are tried.
fn best_split(
    b: &Binned,
    allowed: &[bool],
    rows: &[u32],
    g: &[f32],
    h: &[f32],
    s: Settings,
) -> Option<Split> {
    if rows.len() < 2 * s.min_leaf {
        return None;
    }
    let (gt, ht) = sums(rows, g, h);
    let score = |gs: f32, hs: f32| gs * gs / (hs + s.l2);
    let parent = score(gt, ht);
    let mut best: Option<Split> = None;
    for (f, column) in b.bins.iter().enumerate() {
        let n_bins = b.edges[f].len();
        if n_bins < 2 || !allowed[f] {
            continue;
        }
        let mut hist = vec![(0f32, 0f32, 0usize); n_bins];
        for &i in rows {
            let e = &mut hist[column[i as usize] as usize];
            e.0 += g[i as usize];
            e.1 += h[i as usize];
            e.2 += 1;
        }
        let (mut gl, mut hl, mut nl) = (0.0, 0.0, 0);
        for (bin, &(gb, hb, nb)) in hist.iter().enumerate().take(n_bins - 1) {
            gl += gb;
            hl += hb;
            nl += nb;
            if nl < s.min_leaf || rows.len() - nl < s.min_leaf {
                continue;
            }
            let gain = score(gl, hl) + score(gt - gl, ht - hl) - parent;
            if gain > 1e-6 && best.is_none_or(|b| gain > b.gain) {
                best = Some(Split {
                    gain,
                    feature: f,
                    bin: bin as u8,
                });
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            rounds: 30,
            rate: 0.3,
            leaves: 4,
            min_leaf: 2,
            l2: 1.0,
            bins: 16,
            features_per_tree: 1.0,
        }
    }

    #[test]
    fn learns_a_rule_of_two_features_and_three_classes() {
        // Class by regions of two features; a third feature is noise.
        let mut x = Vec::new();
        let mut y = Vec::new();
        let mut z: u64 = 7;
        let mut next = || {
            z = z
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (z >> 40) as f32 / (1u64 << 24) as f32
        };
        for _ in 0..600 {
            let (a, b, c) = (next(), next(), next());
            x.push(vec![a, b, c]);
            y.push(if a < 0.4 {
                0
            } else if b < 0.5 {
                1
            } else {
                2
            });
        }
        let w = vec![1.0; y.len()];
        let mut rounds_seen = 0;
        let forest = train(&x, &y, &w, 3, settings(), |r, _| rounds_seen = r);
        assert_eq!(rounds_seen, 30);
        assert_eq!(forest.trees.len(), 90);
        let right = x
            .iter()
            .zip(&y)
            .filter(|(r, c)| {
                let p = forest.predict(r);
                (0..3).max_by(|&i, &j| p[i].total_cmp(&p[j])) == Some(**c)
            })
            .count();
        assert!(right > 570, "{right} of 600");
        // Probabilities sum to one; a truncated forest still predicts.
        let p = forest.predict(&[0.1, 0.9, 0.5]);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        assert!(p[0] > 0.8, "{p:?}");
        let mut short = forest.clone();
        short.truncate(5);
        assert_eq!(short.trees.len(), 15);
    }

    #[test]
    fn a_leaf_never_holds_fewer_rows_than_the_minimum() {
        let x: Vec<Vec<f32>> = (0..10).map(|i| vec![i as f32]).collect();
        let y: Vec<usize> = (0..10).map(|i| usize::from(i == 0)).collect();
        let s = Settings {
            min_leaf: 4,
            ..settings()
        };
        let forest = train(&x, &y, &[1.0; 10], 2, s, |_, _| {});
        for t in &forest.trees {
            for n in t.nodes.iter().filter(|n| n.feature.is_some()) {
                // Splits at 4 or more rows from either end only.
                assert!(n.threshold >= 3.0 && n.threshold <= 5.0, "{}", n.threshold);
            }
        }
    }

    #[test]
    fn weights_move_the_prior() {
        let x = vec![vec![0.0]; 4];
        let y = vec![0, 0, 0, 1];
        let s = Settings {
            rounds: 0,
            ..settings()
        };
        let even = train(&x, &y, &[1.0; 4], 2, s, |_, _| {});
        let weighted = train(&x, &y, &[1.0, 1.0, 1.0, 3.0], 2, s, |_, _| {});
        assert!(even.predict(&[0.0])[0] > 0.7);
        assert!((weighted.predict(&[0.0])[0] - 0.5).abs() < 1e-4);
    }
}
