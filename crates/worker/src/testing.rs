//! For tests and benchmarks of the distributed path: a generated feed of
//! fictional news (every name made up here), as one JSONL file. Articles
//! come in bursts of events that overlap in time, re-reported by several
//! outlets in their own words, so that the clustering has real work to do.

use std::fmt::Write as _;
use std::path::Path;

const SYLLABLES: &[&str] = &[
    "nor", "vel", "mar", "ost", "kel", "dun", "pel", "cor", "ash", "lind", "bri", "sol", "tarn",
    "wick", "hol", "ven", "ras", "tor", "mis", "gal", "ber", "quin", "zan", "fel",
];
const EVENTS: &[(&str, &str, &str)] = &[
    ("fire", "blaze", "firefighters"),
    ("flood", "floodwater", "rescue crews"),
    ("strike", "walkout", "union leaders"),
    ("bridge collapse", "collapsed span", "engineers"),
    ("ferry accident", "capsized ferry", "coastguard officers"),
    ("power cut", "blackout", "grid operators"),
    ("election result", "vote count", "election officials"),
    ("chemical leak", "toxic plume", "health inspectors"),
    ("landslide", "mudslide", "geologists"),
    ("rail derailment", "derailed train", "rail investigators"),
];
const OUTLETS: &[&str] = &[
    "Harbour Times",
    "Coastal Herald",
    "Valley Wire",
    "Radio Norhaven",
    "The Evening Ledger",
    "Northern Post",
    "Daily Courier",
    "Metro Signal",
];

/// A made-up capitalised name for `n` (`parts` syllables).
fn name(n: usize, parts: usize) -> String {
    let mut out = String::new();
    let h = (n as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for i in 0..parts {
        out.push_str(SYLLABLES[((h >> (11 * i + 7)) % SYLLABLES.len() as u64) as usize]);
    }
    let mut c = out.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Writes `n` articles as JSONL to `path`; returns the number of distinct
/// events they report.
pub fn write_feed(path: &Path, n: usize) -> std::io::Result<usize> {
    let events = (n / 12).max(1);
    let mut out = String::with_capacity(n * 700);
    for i in 0..n {
        // Events open over time and stay in the news a while, overlapping.
        let window = 24.min(events);
        let base = i * events / n.max(1);
        let e = (base + (i * 7) % window).min(events - 1);
        let place = name(e * 31 + 3, 3);
        let street = name(e * 17 + 11, 2);
        let (what, noun, who) = EVENTS[e % EVENTS.len()];
        let person = format!("{} {}", name(e * 13 + 5, 2), name(e * 29 + 1, 3));
        let outlet = OUTLETS[i % OUTLETS.len()];
        let count = 20 + (e * 37) % 400;
        let day = 1 + (e * 28 / events) % 28;
        let title = match i % 3 {
            0 => format!("{place} {what}: {count} people affected near {street} Road"),
            1 => format!("{who} respond to {what} in {place}"),
            _ => format!("{person} speaks after {place} {noun}"),
        };
        let org = format!(
            "{} {}",
            name(e * 7 + 2, 2),
            ["Trust", "Group", "Council", "Works"][e % 4]
        );
        let sentences = [
            format!("A {what} struck {place} near {street} Road on the {day}th, affecting about {count} people, {who} said."),
            format!("{person}, who leads the {place} response, said the {noun} was under control by evening."),
            format!("Residents of {place} described the {noun} near {street} Road as the worst in years."),
            format!("\"We counted {count} people in {place},\" {person} told {outlet}."),
            format!("{org} said its staff in {place} were safe and that {street} Road would reopen."),
            format!("Schools around {street} Road in {place} stayed shut while {who} worked."),
            format!("{person} of {org} blamed the {noun} on old equipment at {street}."),
            format!("Officials in {place} put the number affected at {count}; {org} gave a lower figure."),
        ];
        let mut text = String::new();
        for k in 0..4 {
            text.push_str(&sentences[(i * 5 + k * 3) % sentences.len()]);
            text.push(' ');
        }
        let _ = write!(text, "{outlet} will report further.");
        let record = serde_json::json!({
            "url": format!("https://{}.example/{i}", outlet.to_lowercase().replace(' ', "-")),
            "title": title,
            "published": format!("2026-03-{day:02}T{:02}:00:00Z", i % 24),
            "outlet": outlet,
            "text": text,
        });
        out.push_str(&record.to_string());
        out.push('\n');
    }
    std::fs::write(path, out)?;
    Ok(events)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_feed_is_deterministic_and_varied() {
        let dir = std::env::temp_dir().join(format!("feed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (a, b) = (dir.join("a.jsonl"), dir.join("b.jsonl"));
        assert_eq!(super::write_feed(&a, 240).unwrap(), 20);
        super::write_feed(&b, 240).unwrap();
        let text = std::fs::read_to_string(&a).unwrap();
        assert_eq!(text, std::fs::read_to_string(&b).unwrap());
        assert_eq!(text.lines().count(), 240);
        let titles: std::collections::HashSet<&str> = text.lines().collect();
        assert_eq!(titles.len(), 240, "every record differs");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
