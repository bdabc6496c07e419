//! Tests of this module.

use super::*;
use corroborate_model::{Format, Hints};

#[test]
fn a_document_survives_encoding() {
    let doc = RawDocument::new("a.txt", Format::Text, "Hello.".into(), Hints::default());
    let back = decode(&encode(&doc).unwrap(), 1 << 20).unwrap();
    assert_eq!(back, doc);
}

#[test]
fn bad_bodies_are_refused_with_a_reason() {
    assert!(matches!(
        decode(b"not gzip", 100),
        Err(Undecodable::Malformed(_))
    ));
    let big = RawDocument::new("b", Format::Text, "x".repeat(5000), Hints::default());
    assert_eq!(
        decode(&encode(&big).unwrap(), 1000),
        Err(Undecodable::TooLarge(1000))
    );
    let mut forged = RawDocument::new("c", Format::Text, "one".into(), Hints::default());
    forged.content = "two".into();
    assert!(decode(&encode(&forged).unwrap(), 1000)
        .unwrap_err()
        .to_string()
        .contains("content id"));
}

#[test]
fn header_values_are_one_bounded_line() {
    assert_eq!(header_value("a\nb"), "a b");
    assert_eq!(header_value(&"é".repeat(600)).len(), 1000);
}
