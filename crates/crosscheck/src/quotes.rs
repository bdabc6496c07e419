//! Quotation marks: the quoted spans of a paragraph, with their openers
//! and closers in every common style (straight, curly, guillemets,
//! low-high), including quotes continued over paragraphs.

pub(crate) struct Quote {
    pub(crate) open: usize,
    pub(crate) close: usize,
    pub(crate) content: (usize, usize),
}

pub(crate) fn is_opener(c: char) -> bool {
    matches!(c, '“' | '"' | '‘' | '«')
}

/// Finds quotations in one paragraph (byte range): “…”, "…", ‘…’, «…».
/// A quote left open runs to the end of the paragraph (the convention for
/// quotes that continue into the next paragraph); a closing mark with no
/// opener means the quote began the paragraph.
pub(crate) fn quotes_in(text: &str, (ps, pe): (usize, usize)) -> Vec<Quote> {
    let para = &text[ps..pe];
    let chars: Vec<(usize, char)> = para.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let closer_for = |c: char| match c {
        '“' | '”' => '”',
        '«' => '»',
        '‘' => '’',
        _ => '"',
    };
    let mut first_open_seen = false;
    while i < chars.len() {
        let (b, c) = chars[i];
        let prev = if i == 0 { ' ' } else { chars[i - 1].1 };
        let next = chars.get(i + 1).map_or(' ', |x| x.1);
        // A paragraph opened by a closing mark and a word (”Fear. I am…”)
        // is a mistyped opener, not the end of a quote begun earlier.
        let mistyped_opener = c == '”' && i == 0 && next.is_alphanumeric();
        let opens = (is_opener(c) || mistyped_opener)
            && !prev.is_alphanumeric()
            && (c != '‘' || next.is_uppercase() || next == '…')
            && !(c == '"' && next.is_whitespace());
        if (c == '”' || c == '»') && !mistyped_opener && !first_open_seen && out.is_empty() {
            // Closing mark before any opener: the quote opened the paragraph.
            out.push(Quote {
                open: ps,
                close: ps + b + c.len_utf8(),
                content: (ps, ps + b),
            });
            first_open_seen = true;
            i += 1;
            continue;
        }
        if opens {
            first_open_seen = true;
            let want = closer_for(c);
            let mut j = i + 1;
            let mut end = None;
            while j < chars.len() {
                let (bj, cj) = chars[j];
                let after = chars.get(j + 1).map_or(' ', |x| x.1);
                // Mixed marks are common in scraped copy (“…," or "…”):
                // a double opener is closed by either double closer.
                let closes = cj == want
                    || (want == '”' && cj == '"' && !after.is_alphanumeric())
                    || (want == '"' && cj == '”');
                if closes && (want != '’' || !after.is_alphanumeric()) {
                    end = Some((bj, cj.len_utf8()));
                    break;
                }
                j += 1;
            }
            let content_start = ps + b + c.len_utf8();
            match end {
                Some((bj, len)) => {
                    out.push(Quote {
                        open: ps + b,
                        close: ps + bj + len,
                        content: (content_start, ps + bj),
                    });
                    i = j + 1;
                }
                None => {
                    out.push(Quote {
                        open: ps + b,
                        close: pe,
                        content: (content_start, pe),
                    });
                    break;
                }
            }
            continue;
        }
        i += 1;
    }
    out
}
