//! One figure group as an SVG chart: a row per stated value, a bar for a
//! range, a dot for an exact value, an arrow for an open bound. Every
//! element's geometry is in the markup, so nothing shifts as it loads.

use super::truncate;
use crate::format_number as num;
use corroborate_model::{ArticleId, FigureGroup, FigureValue};
use maud::{html, Markup};
use std::collections::{HashMap, HashSet};

/// What a chart needs of its story: each article's outlet, and which
/// articles are copies (both looked up once per page, not per value).
pub(super) struct Sources<'a> {
    pub(super) outlets: &'a HashMap<&'a ArticleId, String>,
    pub(super) copies: HashSet<&'a ArticleId>,
}

const W: f64 = 640.0;
const LABEL: f64 = 190.0;
const ROW: f64 = 26.0;

/// One decimal, as SVG coordinates are written.
fn f1(x: f64) -> String {
    format!("{x:.1}")
}

/// The chart of one group.
pub(super) fn chart(g: &FigureGroup, src: &Sources<'_>) -> Markup {
    let values = charted(g, src);
    let (lo, hi) = scale(g);
    let x = |v: f64| LABEL + (v - lo) / (hi - lo) * (W - LABEL - 20.0);
    let h = ROW * values.len() as f64 + 24.0;
    let label = g.span(num).unwrap_or_else(|| {
        let texts: Vec<&str> = g.values.iter().map(|v| v.text.as_str()).collect();
        texts.join("; ")
    });
    html! {
        svg.chart viewBox={ "0 0 " (W) " " (h) } width="100%" height=(h)
            preserveAspectRatio="xMinYMin meet" role="img" aria-label={ (g.what) ": " (label) } {
            @for (i, v) in values.iter().enumerate() {
                (row(v, src, 8.0 + ROW * i as f64 + ROW / 2.0 - 4.0, &x))
            }
            text x=(LABEL) y=(f1(h - 4.0)) class="axis" { (num(axis(lo))) }
            text x=(f1(W - 20.0)) y=(f1(h - 4.0)) class="axis" text-anchor="end" { (num(axis(hi))) }
        }
    }
}

/// The values charted: copies repeat their original's figures, so only the
/// originals' (all of them when every value comes from a copy).
fn charted<'a>(g: &'a FigureGroup, src: &Sources<'_>) -> Vec<&'a FigureValue> {
    let values: Vec<&FigureValue> = g
        .values
        .iter()
        .filter(|v| !src.copies.contains(&v.article))
        .collect();
    if values.is_empty() {
        g.values.iter().collect()
    } else {
        values
    }
}

/// The axis's ends: every stated bound, padded, on round numbers (13,067
/// reads as 14,000).
fn scale(g: &FigureGroup) -> (f64, f64) {
    let lo = g
        .values
        .iter()
        .map(|v| v.low.unwrap_or(v.value).min(v.value))
        .fold(f64::INFINITY, f64::min);
    let hi = g
        .values
        .iter()
        .map(|v| v.high.unwrap_or(v.value).max(v.value))
        .fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if (hi - lo).abs() < f64::EPSILON {
        (lo * 0.9 - 1.0, hi * 1.1 + 1.0)
    } else {
        (lo, hi)
    };
    let pad = (hi - lo) * 0.08;
    (nice((lo - pad).max(0.0), false), nice(hi + pad, true))
}

/// One value's row: who stated it and what they counted, then its mark.
fn row(v: &FigureValue, src: &Sources<'_>, cy: f64, x: &dyn Fn(f64) -> f64) -> Markup {
    let outlet = src.outlets.get(&v.article).cloned().unwrap_or_default();
    let attributed = v
        .attributed_to
        .as_deref()
        .map(|a| format!(", attributed to {a}"))
        .unwrap_or_default();
    html! {
        text x="0" y=(f1(cy + 4.0)) class="lbl" { (truncate(&format!("{outlet}: {}", v.text), 30)) }
        g.val {
            title { (v.text) " — " (outlet) (attributed) }
            @match (v.low, v.high) {
                (Some(l), Some(h)) if (h - l).abs() > f64::EPSILON => {
                    rect x=(f1(x(l))) y=(f1(cy - 4.0)) width=(f1((x(h) - x(l)).max(2.0)))
                        height="8" rx="4" class="range" {}
                }
                (Some(l), None) => {
                    line x1=(f1(x(l))) y1=(f1(cy)) x2=(f1(W - 28.0)) y2=(f1(cy)) class="open" {}
                    path d={ "M" (f1(W - 28.0)) " " (f1(cy - 4.0)) " l8 4 l-8 4 z" } class="arrow" {}
                }
                (None, Some(h)) => {
                    line x1=(f1(LABEL + 8.0)) y1=(f1(cy)) x2=(f1(x(h))) y2=(f1(cy)) class="open" {}
                    path d={ "M" (f1(LABEL + 8.0)) " " (f1(cy - 4.0)) " l-8 4 l8 4 z" } class="arrow" {}
                }
                _ => {}
            }
            circle cx=(f1(x(v.value))) cy=(f1(cy)) r="5" class="dot" {}
            text x=(f1((x(v.value) + 9.0).min(W - 70.0))) y=(f1(cy - 7.0)) class="num" { (num(v.value)) }
        }
    }
}

/// `x` rounded to two significant digits, up or down.
fn nice(x: f64, up: bool) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return x.max(0.0);
    }
    let step = 10f64.powf(x.log10().floor() - 1.0);
    let n = x / step;
    (if up { n.ceil() } else { n.floor() }) * step
}

/// Axis labels: whole numbers unless the scale is small.
fn axis(x: f64) -> f64 {
    if x.abs() >= 10.0 {
        x.round()
    } else {
        (x * 10.0).round() / 10.0
    }
}
