//! Small text helpers shared by the loaders, the cleaner and the views.

/// Replace control characters (C0, C1, DEL, and the escape that starts terminal sequences)
/// with nothing, tabs with a space, so that text from files can never drive the terminal.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = 0; // start of the characters kept as they are, copied at once
    for (i, c) in s.char_indices() {
        let keep = match c {
            '\n' => true,
            '\t' => false,
            c if c.is_control() => false,
            // bidi overrides and isolates can reorder what a terminal shows
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => false,
            _ => true,
        };
        if !keep {
            out.push_str(&s[run..i]);
            if c == '\t' {
                out.push(' ');
            }
            run = i + c.len_utf8();
        }
    }
    out.push_str(&s[run..]);
    out
}

/// Collapse runs of white space into one space and trim the ends.
pub fn squash_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// A comparison key: lower case letters and digits only, words separated by one space.
/// Used to spot repeats that differ only in punctuation, case or spacing.
pub fn norm_key(s: &str) -> String {
    norm_key_with(s, false)
}

/// [`norm_key`] with every ASCII digit written `#` when `fold_digits` is set (so "3 hours
/// ago" and "5 hours ago" give one key). One pass, bytes at a time for ASCII text.
pub fn norm_key_with(s: &str, fold_digits: bool) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut gap = false;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() {
            // a run of ASCII letters and digits, copied at once
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if gap && !out.is_empty() {
                out.push(b' ');
            }
            gap = false;
            let at = out.len();
            out.extend_from_slice(&bytes[start..i]);
            for x in &mut out[at..] {
                *x = if fold_digits && x.is_ascii_digit() {
                    b'#'
                } else {
                    x.to_ascii_lowercase()
                };
            }
        } else if b.is_ascii() {
            i += 1;
            if b != b'\'' {
                gap = true;
            }
        } else {
            let c = s[i..].chars().next().expect("a char starts here");
            i += c.len_utf8();
            if c.is_alphanumeric() {
                if gap && !out.is_empty() {
                    out.push(b' ');
                }
                gap = false;
                let mut buf = [0u8; 4];
                for l in c.to_lowercase() {
                    out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
                }
            } else if c != '’' {
                gap = true;
            }
        }
    }
    String::from_utf8(out).expect("whole characters only")
}

/// The words of `s` (alphanumeric runs), in order.
pub fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_of_writes_as_format_would() {
        use std::time::{Duration, UNIX_EPOCH};
        for days in (0..3_000_000u64)
            .step_by(997)
            .chain([0, 59, 60, 365, 11_016, 2_932_896])
        {
            let t = UNIX_EPOCH + Duration::from_secs(days * 86_400 + 86_399);
            let (y, m, d) = civil_from_days(days as i64);
            assert_eq!(date_of(t), format!("{y:04}-{m:02}-{d:02}"), "{days}");
        }
        assert_eq!(date_of(UNIX_EPOCH), "1970-01-01");
        assert_eq!(date_of(UNIX_EPOCH - Duration::from_secs(5)), "1970-01-01");
    }

    #[test]
    fn sanitize_strips_escapes_and_controls() {
        assert_eq!(sanitize("a\x1b[31mred\x07\tb"), "a[31mred b");
        assert_eq!(sanitize("x\u{9b}y\u{202E}z"), "xyz");
        assert_eq!(sanitize("\tcafé\u{2066}\n“é”\x7f"), " café\n“é”");
    }

    #[test]
    fn norm_key_folds_digits_when_asked() {
        assert_eq!(
            norm_key_with("Updated 3 hours ago", true),
            "updated # hours ago"
        );
        assert_eq!(
            norm_key("Über 3 Straßen, İzmir"),
            "über 3 straßen i\u{307}zmir"
        );
        assert_eq!(norm_key_with("Über 3 Straßen", true), "über # straßen");
        assert_eq!(norm_key("  --a  "), "a");
    }

    #[test]
    fn norm_key_ignores_case_and_punctuation() {
        assert_eq!(norm_key("Hello,  World!"), norm_key("hello world"));
        assert_eq!(norm_key("Don’t stop"), "dont stop");
    }

    #[test]
    fn words_split_on_punctuation() {
        assert_eq!(words("It's 5 o'clock, ok?").count(), 4);
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    // month names are ASCII, and no other character lower-cases to one of their letters
    if !(3..=9).contains(&w.len()) || !w.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 9];
    let lower = &mut buf[..w.len()];
    lower.copy_from_slice(w.as_bytes());
    lower.make_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| m.as_bytes().starts_with(lower))
        .map(|i| i as u32 + 1)
}

/// The number of the month a word names ("Sep", "sept.", "November"), if it names one.
pub fn month_number(word: &str) -> Option<u32> {
    month_of(word)
}

/// Find a date stated in text: `2020-02-28`, `28 February 2020`, `Feb. 28, 2020`.
/// Returns `YYYY-MM-DD`.
pub fn find_date(s: &str) -> Option<String> {
    let toks: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|' || c == ':')
        .filter(|t| !t.is_empty())
        .collect();
    let year = |t: &str| -> Option<u32> {
        let t = t.trim_end_matches(|c: char| !c.is_ascii_digit());
        (t.len() == 4)
            .then(|| t.parse().ok())
            .flatten()
            .filter(|y| (1900..2100).contains(y))
    };
    let day = |t: &str| -> Option<u32> {
        let t = t.trim_end_matches(|c: char| c.is_alphabetic() || c == '.');
        t.parse().ok().filter(|d| (1..=31).contains(d))
    };
    for (i, t) in toks.iter().enumerate() {
        // ISO
        let b = t.as_bytes();
        if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
            // by `get`: a character may cross any of these cuts (`2020-01-€`)
            let num = |r: std::ops::Range<usize>| t.get(r).and_then(|x| x.parse::<u32>().ok());
            if let (Some(y), Some(m), Some(d)) = (t.get(..4).and_then(year), num(5..7), num(8..10))
            {
                if (1..=12).contains(&m) && (1..=31).contains(&d) {
                    return Some(format!("{y:04}-{m:02}-{d:02}"));
                }
            }
        }
        if let Some(m) = month_of(t) {
            // Month D, YYYY
            if let (Some(d), Some(y)) = (
                toks.get(i + 1).and_then(|x| day(x)),
                toks.get(i + 2).and_then(|x| year(x)),
            ) {
                return Some(format!("{y:04}-{m:02}-{d:02}"));
            }
            // D Month YYYY
            if let (Some(d), Some(y)) = (
                i.checked_sub(1).and_then(|j| day(toks[j])),
                toks.get(i + 1).and_then(|x| year(x)),
            ) {
                return Some(format!("{y:04}-{m:02}-{d:02}"));
            }
        }
    }
    None
}

/// A system time as a `YYYY-MM-DD` date (UTC).
pub fn date_of(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    if !(0..=9999).contains(&y) {
        return format!("{y:04}-{m:02}-{d:02}");
    }
    // as `format!` would, without its machinery (the quick scan dates most files so)
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let y = y as u32;
    let mut out = String::with_capacity(10);
    out.extend([y / 1000, y / 100, y / 10, y].map(digit));
    out.push('-');
    out.extend([m / 10, m].map(digit));
    out.push('-');
    out.extend([d / 10, d].map(digit));
    out
}

/// Days since 1970-01-01 to a (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A `YYYY-MM-DD` date as "28 Feb 2020" for screens.
pub fn pretty_date(iso: &str) -> String {
    let mut it = iso.split('-');
    let (Some(y), Some(m), Some(d)) = (it.next(), it.next(), it.next()) else {
        return iso.to_string();
    };
    let Ok(mi) = m.parse::<usize>() else {
        return iso.to_string();
    };
    let Some(name) = MONTHS.get(mi.wrapping_sub(1)) else {
        return iso.to_string();
    };
    let mut n = name[..3].to_string();
    n[..1].make_ascii_uppercase();
    format!("{} {n} {y}", d.trim_start_matches('0'))
}

#[cfg(test)]
mod date_tests {
    use super::*;

    #[test]
    fn finds_dates_in_common_shapes() {
        assert_eq!(
            find_date("PORT ELLIS, 28 February 2020 —").as_deref(),
            Some("2020-02-28")
        );
        assert_eq!(
            find_date("Updated Feb. 3, 2021 at noon").as_deref(),
            Some("2021-02-03")
        );
        assert_eq!(
            find_date("posted 2019-11-05T10:00").as_deref(),
            Some("2019-11-05")
        );
        assert_eq!(find_date("May we all be well in 2020"), None);
        assert_eq!(find_date("SEPT. 4, 2019").as_deref(), Some("2019-09-04"));
        // a date glued to its label by a colon
        assert_eq!(
            find_date("Last updated:Sep 4, 2025").as_deref(),
            Some("2025-09-04")
        );
        assert_eq!(find_date("4 Septembers 2019"), None);
        assert_eq!(month_of("Dec."), Some(12));
        assert_eq!(month_of("Ju"), None);
        assert_eq!(month_of("Märch"), None);
        // a character across a cut of the ISO shape
        for s in [
            "2020-01-€",
            "2020-0€-01",
            "20€-01-01x",
            "2020-01-0€",
            "€€€-€-€€",
        ] {
            assert_eq!(find_date(s), None, "{s}");
        }
    }

    #[test]
    fn epoch_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(18_320), (2020, 2, 28));
        assert_eq!(pretty_date("2020-02-28"), "28 Feb 2020");
    }
}
