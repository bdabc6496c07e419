//! The examples of this crate's documentation, run as unit tests (one test
//! binary instead of one linked program per example; see Cargo.toml,
//! `doctest = false`). Keep each in step with the comment it copies.

/// The example in `src/lib.rs`.
#[test]
fn example_1() {
    use corroborate_stance::{Model, Stance};
    let model = Model::default();
    let j = model.judge(
        "The ferry pier at Norhaven burned down",
        None,
        "The ferry pier at Norhaven burned down overnight, the harbour master confirmed.",
    );
    assert_ne!(j.stance, Stance::Unrelated);
}
