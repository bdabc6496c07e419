//! The examples of this crate's documentation, run as unit tests (one test
//! binary instead of one linked program per example; see Cargo.toml,
//! `doctest = false`). Keep each in step with the comment it copies.

/// The example in `src/lib.rs`.
#[test]
fn example_1() {
    use corroborate_embed::{cosine, locate, Embedder};

    // Built without `minilm`, or no model folder on this machine: nothing
    // to check.
    if let Some(Ok(model)) = locate(None).map(|dir| Embedder::load(&dir)) {
        let v = model
            .embed(&[
                "Troops crossed the border.",
                "Soldiers entered the country.",
            ])
            .unwrap();
        assert!(cosine(&v[0], &v[1]) > 0.5);
    }
}
