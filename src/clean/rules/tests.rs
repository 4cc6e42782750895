use super::*;
use crate::article::Block;

pub(super) fn art(title: &str, blocks: &[&str]) -> Article {
    Article {
        title: title.into(),
        blocks: blocks.iter().map(|b| Block::para(*b)).collect(),
        ..Article::default()
    }
}

pub(super) fn kinds(a: &Article) -> Vec<(Kind, bool)> {
    decide(a, &Evidence::default())
        .blocks
        .iter()
        .map(|d| (d.kind, d.shown))
        .collect()
}

pub(super) const P1: &str =
    "The harbour board voted on Tuesday to raise ferry fares by ten per cent from April.";
pub(super) const P2: &str =
    "Commuters said the rise would hurt families who cross the water every day.";
pub(super) const P3: &str = "The board will review the fares again next winter, its chair said.";

#[test]
fn standfirst_repeated_by_body_is_hidden_once() {
    let sf = format!("{P1} {P3}");
    let a = art("Fares rise", &[&sf, P1, P2, P3]);
    assert_eq!(kinds(&a)[0], (Kind::Standfirst, false));
    assert!(kinds(&a)[1..].iter().all(|k| k.1));
}

#[test]
fn lone_source_line_becomes_the_source() {
    let a = art("Fares rise", &["Harbour Times", P1, P2]);
    let c = decide(&a, &Evidence::default());
    assert_eq!(c.source_line.as_deref(), Some("Harbour Times"));
    assert_eq!(c.blocks[0].kind, Kind::SourceLine);
}

#[test]
fn headline_between_paragraphs_is_related() {
    let a = art(
        "Fares rise",
        &[P1, "Storm closes the coast road for a third night", P2],
    );
    assert_eq!(kinds(&a)[1], (Kind::RelatedHeadline, false));
}

#[test]
fn questions_and_answers_of_an_interview_are_kept() {
    let q = "Q: Favourite ferry crossing in the last five years";
    let a = art(
        "Fares rise",
        &[P1, q, "A: The early boat to Eastcliff in winter", P2],
    );
    let k = kinds(&a);
    assert_eq!(k[1], (Kind::Story, true));
    assert_eq!(k[2], (Kind::Story, true));
    // the same words without the marks read as another story's headline
    let bare = art("Fares rise", &[P1, &q[3..], P2]);
    assert_eq!(kinds(&bare)[1], (Kind::RelatedHeadline, false));
}

#[test]
fn short_heading_inside_story_is_kept() {
    let a = art("Fares rise", &[P1, "What happens next", P2]);
    assert_eq!(kinds(&a)[1], (Kind::Subheading, true));
}

#[test]
fn run_together_headlines_are_hidden() {
    let run = "Storm closes coast road Council approves new library Mayor opens bridge Local team wins cup final Bakery celebrates fifty years";
    let a = art("Fares rise", &[P1, P2, run]);
    assert_eq!(kinds(&a)[2], (Kind::HeadlineList, false));
}

#[test]
fn short_quoted_sentence_in_story_is_kept() {
    let a = art("Fares rise", &[P1, "\u{201c}Please.\u{201d}", P2]);
    assert_eq!(kinds(&a)[1], (Kind::Story, true));
}

#[test]
fn furniture_lines_are_hidden() {
    let a = art(
        "Fares rise",
        &[
            P1,
            "Share this article Facebook Twitter Email",
            P2,
            "© 2020 Harbour Times. All rights reserved.",
            "Photo: Jane Roe / Coast Agency",
        ],
    );
    let k = kinds(&a);
    assert_eq!(k[1], (Kind::Promo, false));
    assert_eq!(k[3], (Kind::Copyright, false));
    assert_eq!(k[4], (Kind::Caption, false));
}

#[test]
fn byline_and_title_repeat() {
    let a = art(
        "Fares rise on the harbour",
        &["Fares rise on the harbour", "By Jane Doe", P1],
    );
    let k = kinds(&a);
    assert_eq!(k[0], (Kind::Duplicate, false));
    assert_eq!(k[1], (Kind::Byline, false));
}

#[test]
fn another_stories_title_is_hidden_by_evidence() {
    let a = art("Fares rise", &[P1, "Council approves new library", P2]);
    let b = art("Council approves new library", &[P2]);
    let ev = Evidence::gather(&[a.clone(), b]);
    let c = decide(&a, &ev);
    assert_eq!(c.blocks[1].kind, Kind::RelatedHeadline);
    assert!(c.blocks[1].reason.contains("title of another story"));
    // its own title is no evidence
    let c = decide(
        &art(
            "Council approves new library",
            &[P1, "Council approves new library"],
        ),
        &ev,
    );
    assert_ne!(c.blocks[1].kind, Kind::RelatedHeadline);
}

#[test]
fn repeats_across_a_source_are_hidden_but_not_alone() {
    let box_ = "Morning Tide brings the day's stories at seven";
    let mk = |t: &str| art(t, &[P1, box_, P2]);
    let arts = vec![
        mk("One story here"),
        mk("Two story here"),
        mk("Three story here"),
    ];
    let ev = Evidence::gather(&arts);
    assert!(decide(&arts[0], &ev).blocks[1]
        .reason
        .contains("in 3 stories"));
    // on its own the box is still a fragment between story paragraphs
    assert!(!decide(&arts[0], &Evidence::default()).blocks[1].shown);
}
