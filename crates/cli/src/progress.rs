//! A progress bar on a terminal (indicatif), nothing otherwise.

use corroborate_engine::Progress;
use indicatif::{ProgressBar, ProgressStyle};
use std::sync::Mutex;

pub(crate) struct Bar {
    enabled: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl Bar {
    pub fn new(quiet: bool) -> Self {
        Bar {
            enabled: !quiet && crate::stderr_is_terminal(),
            bar: Mutex::new(None),
        }
    }
}

impl Progress for Bar {
    fn start(&self, phase: &str, total: u64) {
        if !self.enabled {
            return;
        }
        let bar = ProgressBar::new(total);
        let unit = if phase == "ingest" {
            "inputs"
        } else {
            "articles"
        };
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{prefix:>8}} [{{bar:30}}] {{pos}}/{{len}} {unit} {{rate}} eta {{eta}}"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            // Whole numbers: "471/s", not indicatif's "471.2621/s".
            .with_key(
                "rate",
                |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", s.per_sec());
                },
            )
            .progress_chars("=> "),
        );
        bar.set_prefix(phase.to_string());
        *self.bar.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar);
    }
    fn advance(&self, n: u64) {
        if let Some(b) = self.bar.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            b.inc(n);
        }
    }
    fn finish(&self) {
        if let Some(b) = self.bar.lock().unwrap_or_else(|e| e.into_inner()).take() {
            b.finish_and_clear();
        }
    }
}
