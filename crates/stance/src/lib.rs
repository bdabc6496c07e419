//! Stance of a text toward a claim: does the article **assert** it (state
//! it as fact, confirm it), **report** it (relay it as someone's claim
//! without endorsing it), **dispute** it (deny, contradict, debunk it), or
//! is it **unrelated**?
//!
//! General features of the pair ([`features`]: how much of the claim the
//! text holds and where, the cue words around the closest sentences, from
//! the `stance-*` tables of corroborate-lexicon, and learnt bags of words:
//! stems near the claim, phrases anywhere in the text, phrases of the
//! claim) go through
//! small gradient-boosted trees ([`trees`]) that `cargo xtask train-stance`
//! fits on the FNC-1 training bodies (`model/stance.json`), choosing on a
//! held-out split of bodies. The model is compiled in: nothing is loaded at
//! run time.
//!
//! Cost: preparing a text is linear in its length ([`Prepared`]); each claim
//! against a prepared text is linear in the text's sentences.
//!
//! ```
//! use corroborate_stance::{Model, Stance};
//! let model = Model::default();
//! let j = model.judge(
//!     "The ferry pier at Norhaven burned down",
//!     None,
//!     "The ferry pier at Norhaven burned down overnight, the harbour master confirmed.",
//! );
//! assert_ne!(j.stance, Stance::Unrelated);
//! ```

#[cfg(test)]
extern crate self as corroborate_stance;
#[cfg(test)]
mod doc_examples;
pub mod features;
pub mod lexicon;
pub mod mlp;
pub mod text;
pub mod trees;

pub use features::{Bags, Claim, Prepared};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

pub use corroborate_model::Stance;

/// The classes in the model's output order.
pub const CLASSES: [Stance; 4] = [
    Stance::Asserts,
    Stance::Reports,
    Stance::Disputes,
    Stance::Unrelated,
];

/// A judged pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judgement {
    /// The most probable stance.
    pub stance: Stance,
    /// Its probability under the model.
    pub score: f32,
    /// The sentence of the text closest to the claim: char offsets into the
    /// text (end exclusive) and the sentence. `None` when the text is empty
    /// or only its title was close.
    pub evidence: Option<Evidence>,
}

/// The sentence a judgement rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// First char of the sentence in the text.
    pub start: usize,
    /// One past its last char.
    pub end: usize,
    /// The sentence.
    pub text: String,
}

/// Class probabilities of the trees and the network blended: `(1 - w)`
/// trees, `w` network, and the network alone for a text shorter than
/// `file.short_text_words`. The network reads the first features (the
/// named ones and the closest-stem bag); the trees read all. Trees fit
/// FNC-1's bodies best but cannot extrapolate: on texts shorter than
/// nearly all training bodies (a three-sentence denial quoting the claim
/// verbatim) they follow the overlap features alone, where the network's
/// smoother response keeps such a denial a denial.
pub fn blend(file: &ModelFile, x: &[f32]) -> Vec<f32> {
    let words = x[features::TEXT_LEN].exp() - 1.0;
    let w = if words + 0.5 < file.short_text_words {
        1.0
    } else {
        file.blend
    };
    let net = |m: &mlp::Mlp| m.predict(&x[..m.mean.len().min(x.len())]);
    match file.mlp.as_ref() {
        Some(m) if w >= 1.0 => net(m),
        Some(m) if w > 0.0 => file
            .forest
            .predict(x)
            .iter()
            .zip(net(m))
            .map(|(t, n)| (1.0 - w) * t + w * n)
            .collect(),
        _ => file.forest.predict(x),
    }
}

/// The file `train-stance` writes: the vocabularies, the trees, the network,
/// how they are blended, and what they were trained on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelFile {
    /// Feature names in input order ([`features::NAMES`] when trained).
    pub features: Vec<String>,
    /// Output classes in order.
    pub classes: Vec<Stance>,
    /// The stems of the closest-sentence bag, learnt from the training split
    /// (their names follow [`features::NAMES`] in `features`).
    #[serde(default)]
    pub vocabulary: Vec<String>,
    /// The phrases of the whole-text bag, learnt from the training split
    /// (their names follow the stems').
    #[serde(default)]
    pub text_vocabulary: Vec<String>,
    /// The phrases of the claim bag, learnt from the training split (their
    /// names follow the text phrases').
    #[serde(default)]
    pub claim_vocabulary: Vec<String>,
    /// The trees.
    pub forest: trees::Forest,
    /// A small network on the named and closest-stem features, blended
    /// with the trees (see [`blend`]).
    #[serde(default)]
    pub mlp: Option<mlp::Mlp>,
    /// The network's weight in the blend (0 without one).
    #[serde(default)]
    pub blend: f32,
    /// Texts with fewer words than this (the 5th percentile of the
    /// training bodies) are judged by the network alone (see [`blend`]).
    #[serde(default)]
    pub short_text_words: f32,
    /// How it was trained, and its train and development figures.
    pub provenance: serde_json::Value,
}

/// A stance model.
pub struct Model {
    file: ModelFile,
    bags: Bags,
}

static SHIPPED: LazyLock<ModelFile> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../model/stance.json"))
        .expect("model/stance.json is written by cargo xtask train-stance")
});

impl Default for Model {
    /// The model shipped in `model/stance.json`.
    fn default() -> Self {
        Model::new(SHIPPED.clone())
    }
}

impl Model {
    /// A model from a trained file. Panics when its features are not this
    /// build's (a file from another version of the features).
    pub fn new(file: ModelFile) -> Model {
        let bags = Bags::new(
            file.vocabulary.clone(),
            file.text_vocabulary.clone(),
            file.claim_vocabulary.clone(),
        );
        assert_eq!(
            file.features,
            features::names(&bags),
            "the stance model was trained on other features: run cargo xtask train-stance"
        );
        Model { file, bags }
    }

    /// The model's bag vocabularies (to compute its features elsewhere).
    pub fn bags(&self) -> &Bags {
        &self.bags
    }

    /// What the model file says of its training.
    pub fn provenance(&self) -> &serde_json::Value {
        &self.file.provenance
    }

    /// The stance of `text` (with its `title`, when it has one) toward `claim`.
    pub fn judge(&self, claim: &str, title: Option<&str>, text: &str) -> Judgement {
        self.judge_prepared(&Claim::new(claim), &Prepared::new(title, text), text)
    }

    /// [`Model::judge`] with both sides prepared (one text, many claims).
    /// `text` is the prepared text's body, for the evidence sentence.
    pub fn judge_prepared(&self, claim: &Claim, prepared: &Prepared, text: &str) -> Judgement {
        let (x, best) = features::features(claim, prepared, &self.bags);
        let p = self.probabilities(&x);
        let (k, score) = p
            .iter()
            .copied()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((3, 1.0));
        let evidence =
            best.and_then(|i| features::sentence_span(prepared, i))
                .map(|(start, end)| Evidence {
                    start,
                    end,
                    text: text.chars().skip(start).take(end - start).collect(),
                });
        Judgement {
            stance: self.file.classes[k],
            score,
            evidence,
        }
    }

    /// Class probabilities of a row of features, in [`ModelFile::classes`]
    /// order (for training and benchmarks).
    pub fn probabilities(&self, features: &[f32]) -> Vec<f32> {
        blend(&self.file, features)
    }
}
