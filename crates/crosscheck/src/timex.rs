//! TIMEX3-style time expressions: dates, times, durations and sets with
//! their normalised values, as TempEval-3 scores them. The timeline uses
//! the `DATE` ones ([`crate::find_dates`]).

use crate::textutil::Doc;
use corroborate_model::Timestamp;

/// One time expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timex {
    /// Start offset (chars).
    pub start: usize,
    /// End offset (chars, exclusive).
    pub end: usize,
    /// As written.
    pub text: String,
    /// `DATE`, `TIME`, `DURATION` or `SET`.
    pub kind: &'static str,
    /// Normalised value ("1998-01-08", "P3M", "PRESENT_REF").
    pub value: String,
}

/// Finds the time expressions of `text`, resolved against `reference` (the
/// document creation or publication time).
pub fn timexes(text: &str, reference: Option<Timestamp>) -> Vec<Timex> {
    let doc = Doc::new(text);
    crate::dates::scan(&doc, reference)
        .into_iter()
        .map(|d| Timex {
            start: doc.ch(d.start),
            end: doc.ch(d.end),
            text: text[d.start..d.end].to_string(),
            kind: d.kind,
            value: d.value,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(text: &str, dct: &str) -> Vec<(String, &'static str, String)> {
        timexes(text, format!("{dct}T12:00:00Z").parse().ok())
            .into_iter()
            .map(|t| (t.text, t.kind, t.value))
            .collect()
    }

    fn assert_tags(got: &[(String, &'static str, String)], want: &[(&str, &str, &str)]) {
        let got: Vec<(&str, &str, &str)> = got
            .iter()
            .map(|(a, b, c)| (a.as_str(), *b, c.as_str()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn types_values_and_extents() {
        let got = tag(
            "Profit rose in the third quarter from a year earlier, the company said Friday. \
             For the past two months sales grew daily; now the 6-year-old plan ends next year, \
             at 3 p.m. on Sunday night.",
            "1989-10-30",
        );
        let want = [
            ("the third quarter", "DATE", "1989-Q3"),
            ("a year earlier", "DATE", "1988-Q3"),
            ("Friday", "DATE", "1989-10-27"),
            ("the past two months", "DURATION", "P2M"),
            ("daily", "SET", "P1D"),
            ("now", "DATE", "PRESENT_REF"),
            ("next year", "DATE", "1990"),
            ("3 p.m", "TIME", "1989-10-30T15:00"),
            ("Sunday night", "DATE", "1989-10-29TNI"),
        ];
        assert_tags(&got, &want);
    }

    #[test]
    fn centuries_weekly_sets_and_number_phrases() {
        let got = tag(
            "The 20th century ended; the market opens each Thursday and every July. \
             It took a couple of years.",
            "1998-02-10",
        );
        assert_tags(
            &got,
            &[
                ("20th century", "DATE", "19"),
                ("each Thursday", "SET", "XXXX-WXX-4"),
                ("every July", "SET", "XXXX-07"),
                ("a couple of years", "DURATION", "P2Y"),
            ],
        );
    }

    #[test]
    fn named_years_quarters_clock_days_and_decades() {
        let got = tag(
            "Sales fell in August 1988 and June last year, but this September and \
             the 1988 second quarter were better than the third quarter of 1984. \
             Trading will resume at 10 p.m. Wednesday. Over two decades, in recent years, \
             year-earlier profit doubled. The merger will close in February.",
            "1989-10-30",
        );
        let want = [
            ("August 1988", "DATE", "1988-08"),
            ("June last year", "DATE", "1988-06"),
            ("this September", "DATE", "1989-09"),
            ("the 1988 second quarter", "DATE", "1988-Q2"),
            ("the third quarter of 1984", "DATE", "1984-Q3"),
            ("10 p.m. Wednesday", "TIME", "1989-11-01T22:00"),
            ("two decades", "DURATION", "P20Y"),
            ("recent years", "DURATION", "PXY"),
            // A text about quarters: the year-ago quarter.
            ("year-earlier", "DATE", "1988-Q3"),
            ("February", "DATE", "1990-02"),
        ];
        assert_tags(&got, &want);
        // Fractions are not durations.
        assert!(tag(
            "A quarter of the staff and three-quarters of sales.",
            "1989-10-30"
        )
        .is_empty());
    }

    #[test]
    fn weekday_weekend_and_clause_tense() {
        // 1989-10-30 is a Monday; 1989-11-02 a Thursday.
        let got = tag(
            "Trading halted over the weekend. Talks will resume on the weekend.",
            "1989-10-30",
        );
        assert_tags(
            &got,
            &[
                ("the weekend", "DATE", "1989-W43-WE"),
                ("the weekend", "DATE", "1989-W44-WE"),
            ],
        );
        let got = tag(
            "The board will meet Thursday. It could appeal the ruling that the court issued Tuesday.",
            "1989-11-02",
        );
        assert_tags(
            &got,
            &[
                ("Thursday", "DATE", "1989-11-02"),
                ("Tuesday", "DATE", "1989-10-31"),
            ],
        );
        // A deadline is ahead; a plan told in the past is behind.
        let got = tag(
            "The port gave the crews until Friday to leave. The strike had been due to end Wednesday.",
            "1989-10-30",
        );
        assert_tags(
            &got,
            &[
                ("Friday", "DATE", "1989-11-03"),
                ("Wednesday", "DATE", "1989-10-25"),
            ],
        );
    }

    #[test]
    fn vague_lengths_fiscal_years_halves_and_seasons() {
        let got = tag(
            "For years the plant lost money; net for the year ended June 30 rose, and \
             for the year it gained. The talks took 2 1/2 years, the vote a minute and a half. \
             Sales slowed over the summer. It has 30 years of history.",
            "1989-10-26",
        );
        let want = [
            ("years", "DURATION", "PXY"),
            ("the year ended", "DURATION", "P1Y"),
            ("June 30", "DATE", "1989-06-30"),
            ("the year", "DATE", "1989"),
            ("2 1/2 years", "DURATION", "P2Y6M"),
            ("a minute and a half", "DURATION", "PT1M30S"),
            ("the summer", "DATE", "1989-SU"),
            ("30 years", "DURATION", "P30Y"),
        ];
        assert_tags(&got, &want);
        // "the year-ago quarter" is a quarter, not "the year".
        assert_tags(
            &tag("Net fell from the year-ago quarter.", "1989-10-26"),
            &[("the year-ago quarter", "DATE", "1988-Q3")],
        );
    }

    #[test]
    fn timeline_dates_stay_calendar_dates() {
        // The timeline keeps days, months, years, weeks and seasons; not
        // "now" or durations, and a part of day counts by its day.
        let d = crate::find_dates(
            "Now, two weeks after the fire on Saturday evening, officials met.",
            "2025-03-17T09:00:00Z".parse().ok(),
        );
        let values: Vec<&str> = d.iter().map(|d| d.value.as_str()).collect();
        assert_eq!(values, ["2025-03-15"]);
    }
}
