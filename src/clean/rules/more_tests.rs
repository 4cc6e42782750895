use super::tests::{art, kinds as decided, P1, P2, P3};
use super::*;
use crate::clean::Grounds;

const P4: &str = "Ferry crews welcomed the decision, which pays for two new engines this year.";

#[test]
fn standfirst_whose_opening_the_lede_repeats_is_hidden_not_the_lede() {
    let sf = format!("{P1} {P3}");
    let a = art("Fares rise", &[&sf, "Harbour Times", P1, P2]);
    let c = decide(&a, &Evidence::default());
    assert_eq!(c.blocks[0].kind, Kind::Standfirst);
    assert!(!c.blocks[0].shown);
    assert!(c.blocks[2].shown && c.blocks[3].shown);
}

#[test]
fn source_line_after_a_standfirst_or_byline_is_found() {
    let a = art("Fares rise", &[P3, "Harbour Times", P1, P2]);
    let c = decide(&a, &Evidence::default());
    assert_eq!(c.source_line.as_deref(), Some("Harbour Times"));
    assert_eq!(c.blocks[0].kind, Kind::Standfirst);
    let b = art("Fares rise", &["By Jane Roe", "Harbour Times", P1, P2]);
    let c = decide(&b, &Evidence::default());
    assert_eq!(c.source_line.as_deref(), Some("Harbour Times"));
    assert_eq!(c.blocks[0].kind, Kind::Byline);
}

#[test]
fn a_menu_at_the_top_is_not_a_source() {
    let a = art("Fares rise", &["Home", "Contact", "Local News", P1, P2]);
    assert_eq!(decide(&a, &Evidence::default()).source_line, None);
}

#[test]
fn copyright_line_names_the_source_when_nothing_else_does() {
    let a = art(
        "Fares rise",
        &[P1, P2, "© 2021 Harbour Times Ltd. All rights reserved."],
    );
    let c = decide(&a, &Evidence::default());
    assert_eq!(c.source_line.as_deref(), Some("Harbour Times"));
}

#[test]
fn pull_quote_inside_a_longer_paragraph_is_hidden_once() {
    let quote = "Commuters said the rise would hurt families who cross the water.";
    let long = format!("{quote} Several of them wrote to the board last week.");
    let k = decided(&art("Fares rise", &[P1, &long, quote, P2]));
    assert_eq!(k[2], (Kind::Duplicate, false));
    assert!(k[1].1);
}

#[test]
fn a_short_phrase_found_inside_a_paragraph_is_not_a_pull_quote() {
    let k = decided(&art("Fares rise", &[P1, "The harbour board", P2, P3]));
    assert_eq!(k[1], (Kind::Subheading, true));
}

#[test]
fn teaser_labels_and_picture_credits_are_hidden() {
    let k = decided(&art(
        "Fares rise",
        &[
            P1,
            "Read more: Storm closes the coast road",
            P2,
            "Jane Roe/Coast Agency/Harbour Pictures",
            P3,
            "The quay at dawn on Monday. (Jane Roe/Coast Agency)",
            P4,
        ],
    ));
    assert_eq!(k[1], (Kind::RelatedHeadline, false));
    assert_eq!(k[3], (Kind::Caption, false));
    assert_eq!(k[5], (Kind::Caption, false));
}

#[test]
fn run_together_headlines_need_restarts_not_commas() {
    let list = "Storm closes coast road for third night Council approves new library on quay Mayor opens bridge Local team wins cup";
    let clause = "Commuters who cross the water every day, many of them with children, said the rise came at a hard time for families";
    let k = decided(&art("Fares rise", &[P1, P2, clause, P3, list]));
    assert_eq!(k[2], (Kind::Story, true));
    assert_eq!(k[4], (Kind::HeadlineList, false));
}

#[test]
fn a_list_heading_and_its_stories_run_together_are_hidden() {
    let list =
        "Most read 1 Storm closes coast road 2 Council approves library 3 Mayor opens bridge";
    let k = decided(&art("Fares rise", &[P1, P2, list]));
    assert_eq!(k[2], (Kind::HeadlineList, false));
}

#[test]
fn lines_between_paragraphs_that_read_as_story_are_kept() {
    let k = decided(&art(
        "Fares rise",
        &[
            "The board listed three reasons for the rise:",
            "Higher fuel costs over the last two winters",
            "The refit of the two oldest boats",
            P1,
            "and the crews said they agreed with all of it",
            P2,
            "Jane Roe (@janeroe) on the quay at dawn today",
            P3,
            "We asked the crews what they thought",
            P1,
            "Storm closes the coast road for a third night",
            P4,
        ],
    ));
    assert!(k[1].1 && k[2].1, "a list introduced by a colon");
    assert!(k[4].1, "lower-case continuation");
    assert!(k[6].1, "embedded post");
    assert!(k[8].1, "the writer's own voice");
    assert_eq!(k[10], (Kind::RelatedHeadline, false));
}

#[test]
fn headline_with_attribution_is_not_a_clause() {
    let k = decided(&art(
        "Fares rise",
        &[P1, "Fares are fair, but must rise: Board chair", P2],
    ));
    assert_eq!(k[1], (Kind::RelatedHeadline, false));
}

#[test]
fn runs_of_short_lines_inside_the_story_are_hidden() {
    let k = decided(&art(
        "Fares rise",
        &[
            P1,
            "News",
            "Sport",
            "Weather",
            "Travel",
            P2,
            "What next",
            P3,
        ],
    ));
    assert!(k[1..5].iter().all(|x| *x == (Kind::Promo, false)));
    assert_eq!(k[6], (Kind::Subheading, true));
}

#[test]
fn paragraphs_cut_off_below_the_story_by_furniture_are_hidden() {
    let mut blocks = vec![P1, P2, P3, P4, P1, P2];
    blocks.extend(["News", "Sport", "Weather", "Travel", "Video", "Contact"]);
    blocks.push("Thanks for reading, and see you next time.");
    let a = art("Fares rise", &blocks);
    let k = decided(&a);
    assert_eq!(*k.last().unwrap(), (Kind::Promo, false));
}

#[test]
fn an_introduction_above_a_table_stays_in_the_story() {
    let intro = "The harbour board published the new fares on Tuesday, and the table below lists every crossing with its old price and its new one, so that commuters can see what they will pay. Season tickets and the concession fares for pensioners and students are not affected by the rise, the board said in its statement.";
    let mut blocks = vec![intro];
    blocks.extend([
        "Quay", "£2.50", "£2.75", "Point", "£3.00", "£3.30", "Mill", "£1.00",
    ]);
    blocks.extend([P1, P2, P3, P4, P1, P2, P3, P4]);
    let c = decide(&art("Fares rise", &blocks), &Evidence::default());
    assert!(c.blocks[0].shown, "{}", c.blocks[0].reason);
}

#[test]
fn a_word_or_two_between_non_paragraphs_is_hidden_but_a_heading_before_prose_is_kept() {
    let k = decided(&art(
        "Fares rise",
        &[
            P1,
            "Winter",
            P2,
            "Crossings on the quay, by month",
            "Quay",
            "Point",
            P3,
        ],
    ));
    assert_eq!(k[1], (Kind::Subheading, true));
    assert_eq!(k[4], (Kind::Promo, false));
}

#[test]
fn furniture_sentences_are_hidden() {
    let k = decided(&art(
        "Fares rise",
        &[
            P1,
            "Please check your inbox to confirm your subscription.",
            P2,
        ],
    ));
    assert_eq!(k[1], (Kind::Promo, false));
}

#[test]
fn a_storys_own_refrain_is_not_hidden_by_archive_repeats() {
    let refrain = "Nobody on this board wanted to put fares up, its chair said again.";
    let mk = |t: &str| art(t, &[P1, refrain, P2, P3, refrain, P4]);
    let arts = vec![
        mk("One story here"),
        mk("Two story here"),
        mk("Three story here"),
    ];
    let ev = Evidence::gather(&arts);
    let c = decide(&arts[0], &ev);
    assert!(c.blocks[1].shown);
}

#[test]
fn near_repeats_of_a_list_that_moves_on_are_counted() {
    let heads = [
        "Fares must rise: Board",
        "Library wins approval: Council",
        "Bridge will reopen: Mayor",
        "Cup final is won: Coach",
        "Bakery turns fifty: Owner",
        "Rink opens soon: Manager",
        "Road stays shut: Police",
    ];
    let list = |n: usize| heads[..n].join(" ");
    let arts: Vec<Article> = (4..7)
        .map(|n| art(&format!("Story number {n}"), &[P1, P2, &list(n)]))
        .collect();
    let ev = Evidence::gather(&arts);
    let c = decide(&arts[2], &ev);
    assert!(!c.blocks[2].shown);
    assert!(
        c.blocks[2].reason.contains("in 3 stories"),
        "{}",
        c.blocks[2].reason
    );
}

#[test]
fn repeats_are_counted_per_stated_source() {
    let box_ = "Morning Tide brings the day's stories at seven";
    let mk = |t: &str| art(t, &[P3, "Harbour Times", P1, box_, P2]);
    let arts = vec![
        mk("One story here"),
        mk("Two story here"),
        mk("Three story here"),
        mk("Four story here"),
        mk("Five story here"),
    ];
    let ev = Evidence::gather(&arts);
    let c = decide(&arts[0], &ev);
    assert!(c.blocks[3].reason.contains("in 5 stories of Harbour Times"));
}

#[test]
fn a_storys_metadata_and_picture_credits_are_hidden_on_evidence() {
    hidden_on_evidence_between_paragraphs(&[
        "4 min read",
        "Reading time: 8 minutes",
        "Nov 18, 2019 at 9:24 pm ET • 2 min read",
        "By Jo Doe | May 6, 2025",
        "By Jo Doe jodoe@harbourtimes.example",
        "Written by Jo Doe, RD on May 6, 2025",
        "Updated on May 6, 2025",
        "Posted on May 6, 2025 by Admin",
        "@jodoe",
        "Home » Guides » Ferry fares",
        "BC-EU--Harbour-Fares, 1st Ld-Writethru",
        "Getty Images",
        "Jane Roe, Associated Press",
        "Jane Roe/AFP via Getty Images",
        "Courtesy Harbour Museum",
        "1 day ago",
        "Nov 19, 2025 at 9:08 GMT3 hours ago",
    ]);
}

#[test]
fn story_lines_like_metadata_are_not_taken_for_it() {
    not_evidence_between_paragraphs(&[
        "Updated figures show fares rose by four per cent last year.",
        "Posted on the harbour forum on 2025-07-09:",
        "June 26 -- PPL Center, Allentown, PA",
        "Published by Harbour Press",
        "The AP reported the closure on Monday, citing two officials.",
        "Reading the report took the committee three months.",
        "Three years ago",
        "The ferry sank two days ago.",
    ]);
}

#[test]
fn a_newsletters_notes_about_the_subscription_are_hidden_on_evidence() {
    let notes = [
        "View this email in your browser",
        "You are receiving this email because you signed up for The Lyle Bulletin.",
        "Unsubscribe | Manage your preferences",
        "Update your email preferences or unsubscribe from this list.",
    ];
    for n in notes {
        let k = decided(&art("Fares rise", &[P1, P2, n]));
        assert_eq!(k[2], (Kind::Promo, false), "{n}");
        let c = decide(&art("Fares rise", &[P1, P2, n]), &Evidence::default());
        assert!(c.blocks[2].reason.contains("subscription"), "{n}");
    }
    // a story's sentences about subscribers report, quote or speak of no one's own letter
    for s in [
        "Subscribers who unsubscribe from the paper's print edition will keep the letter free, the editor said on Monday.",
        "Readers who unsubscribed from the old mailing list were asked back in a letter from the chair.",
        "\"You can unsubscribe at any time,\" the company's letter to customers promised.",
        "If you unsubscribe now you lose the discount, the company warned its customers.",
    ] {
        let k = decided(&art("Fares rise", &[P1, s, P2]));
        assert_eq!(k[1], (Kind::Story, true), "{s}");
    }
}

#[test]
fn a_crosshead_in_capitals_is_a_subheading_not_another_storys_headline() {
    let a = art(
        "Fares rise",
        &[P1, "WHAT THE NEW FARES MEAN FOR YOU", P2, P3],
    );
    assert_eq!(decided(&a)[1], (Kind::Subheading, true));
    // a headline-length line in title case between paragraphs is still another story's
    let b = art(
        "Fares rise",
        &[
            P1,
            "Council Votes To Close Harbour Library After Long Review",
            P2,
            P3,
        ],
    );
    assert_eq!(decided(&b)[1], (Kind::RelatedHeadline, false));
}

#[test]
fn every_subscription_marker_holds_a_key_the_quick_check_looks_for() {
    for m in intrinsic::SUBSCRIPTION_MARKERS {
        assert!(
            intrinsic::SUBSCRIPTION_KEYS.iter().any(|k| m.contains(k)),
            "{m:?}"
        );
    }
}

#[test]
fn a_list_label_and_the_headlines_under_it_are_hidden_on_evidence() {
    let a = art(
        "Ferry crews agree new rota",
        &[
            P1,
            P2,
            "You may also like...",
            "Harbour ferry timetable changes for the winter months",
            "Will the old pier ever reopen?",
            "See also",
            "Sign up for our newsletter",
            P3,
        ],
    );
    let c = decide(&a, &Evidence::default());
    for i in 2..=6 {
        assert!(!c.blocks[i].shown, "{:?} shown", c.blocks[i].text);
        assert_eq!(
            c.blocks[i].grounds,
            Grounds::Evidence,
            "{}",
            c.blocks[i].reason
        );
    }
    assert_eq!(c.blocks[3].kind, Kind::RelatedHeadline);
    assert!(c.blocks[0].shown && c.blocks[1].shown && c.blocks[7].shown);
}

#[test]
fn under_a_list_label_a_heading_over_a_paragraph_stays_with_the_story() {
    let k = decided(&art(
        "Ferry crews agree new rota",
        &[
            P1,
            "Related links:",
            "Ferry fares to rise in the spring",
            "Keeping the quay open",
            P2,
            P3,
        ],
    ));
    assert_eq!(k[1], (Kind::Promo, false));
    assert_eq!(k[2], (Kind::RelatedHeadline, false));
    assert!(k[3].1, "the subheading over a paragraph is shown");
}

#[test]
fn story_lines_opening_with_a_list_labels_words_stay() {
    for line in [
        "More from the minister came later in the week.",
        "Recommended settings: keep the valve shut at night.",
        "Related links between the two boards were never made public, she said.",
        "Most read of all were the harbour notices?",
        "Related to the vote, the board met twice on Tuesday and agreed the plan.",
    ] {
        let k = decided(&art("Ferry crews agree new rota", &[P1, line, P2, P3]));
        assert!(k[1].1, "{line:?} hidden as {:?}", k[1].0);
    }
}

#[test]
fn notes_on_sharing_affiliates_and_moderation_are_furniture() {
    for line in [
        "Enjoyed this story? Share it with a friend!",
        "We may earn a commission if you buy through the links on this page.",
        "Harbour Press may earn an affiliate commission if you shop through our links.",
        "Note: we are moderating all comments for now because of spam.",
        "The material on this site may not be reproduced or otherwise used, except with the prior written permission of Harbour Press.",
    ] {
        let k = decided(&art("Ferry crews agree new rota", &[P1, P2, line, P3]));
        assert!(
            matches!(k[2], (Kind::Promo | Kind::Copyright, false)),
            "{line:?}: {:?}",
            k[2]
        );
    }
    // a story's sentence on the same words reports them
    let k = decided(&art(
        "Ferry crews agree new rota",
        &[
            P1,
            "The ferry company will share it with the unions, the board said.",
            P2,
            P3,
        ],
    ));
    assert!(k[1].1);
}

#[test]
fn a_date_stamp_with_a_time_and_a_share_bar_above_the_story_are_evidence() {
    let a = art(
        "Ferry crews agree new rota",
        &[
            "Monday, November 18, 2025, 04:05 pm PT (07:05 pm ET)",
            "Share on: Facebook Twitter Reddit Google+",
            P1,
            "The crews' union said the ads ran on Facebook, Twitter and Reddit.",
            P2,
        ],
    );
    let c = decide(&a, &Evidence::default());
    for d in &c.blocks[..2] {
        assert!(!d.shown, "{:?} shown", d.text);
        assert_eq!(d.grounds, Grounds::Evidence, "{:?}: {}", d.text, d.reason);
    }
    assert!(c.blocks[2..].iter().all(|d| d.shown));
}

#[test]
fn labelled_captions_page_notices_follow_bids_and_stamps_are_evidence() {
    hidden_on_evidence_between_paragraphs(&[
        "Image copyright Harbour Agency",
        "Image caption Crews lifted the old engine out of the ferry on Tuesday",
        "Media captionWhat the new fares mean for commuters",
        "Image source: Harbour Museum",
        "Media playback is unsupported on your device",
        "These are external links and will open in a new window",
        "Follow the Harbour Times on Facebook, Twitter and Instagram.",
        "Follow @HarbourDeals on Twitter to keep up with the latest offers.",
        "Follow HT on",
        "By Jane Roe on Monday, November 18th, 2019 at 11:08 a.m.",
        "By Jane Roe - 11/19/19 06:56 AM EST",
        "Updated Nov 19, 6:55 AM;Posted Nov 19, 6:51 AM",
        "Published: Nov. 19, 2019, 6:18 p.m. Updated: Nov. 19, 2019, 7:10 p.m.",
        "Jo Doe on November 15, 2018 at 10:12 am said:",
        "Text size",
        "Jump to Recipe Jump to Video",
        "Lesen Sie auch",
        "Читайте также",
        "More:",
        "Tags: Ferries, Harbour, Fares",
        "Filed Under:Ferries, harbour, transport",
        "Tags:",
        "First published on November 19, 2019 / 8:16 AM",
        "blog comments powered by Disqus",
        "Leave a Reply Cancel reply",
        "Your email address will not be published. Required fields are marked *",
        "Utilizziamo i cookie per essere sicuri che tu possa avere la migliore esperienza sul nostro sito.",
        "This slideshow requires JavaScript.",
        "Advert",
        "More in Harbour Sport",
        "Jane Roe | Harbour Agency | Getty Images",
        "Click to share on Facebook (Opens in new window)",
        "Additional reporting by Jane Roe",
        "Reporting by Jane Roe; Editing by John Doe.",
        "In This Article: ferries, harbour, fares",
        "Wordcount: 717",
        "Elsewhere on harbour news...",
        "Please be mindful of our community standards.",
        "広告",
        "Tempo de leitura: 2 minutos",
        "Next Up In Harbour News",
        "Get it on Amazon for $24.99",
        "When commenting, please abide by our submission guidelines.",
        "A post shared by Harbour Ferries (@harbourferries)",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
        "Getty Images / Jane Roe",
        "Buy on Amazon",
        "Read full review",
        "港町新報メールマガジン 毎朝7時、主なニュースをお届けします。 登録はこちら",
    ]);
}

#[test]
fn story_lines_like_captions_notices_and_follow_bids_are_not_evidence() {
    not_evidence_between_paragraphs(&[
        "Image copyright law is changing, the minister told the harbour board.",
        "Image sourced from the archive shows the quay in 1910.",
        "Follow-up checks on the ferry found nothing wrong, the inspectors said.",
        "Follow the money, the auditor told the board on Twitter.",
        "The new site will open in a new window of the old ferry terminal on Friday.",
        "By 10:30 a.m. the queue reached the harbour gates.",
        "Last train leaves at 23:45",
        "More",
        "More in sorrow than in anger",
        "The reporting by the Times showed the fares had risen twice.",
        "Elsewhere on the coast, ferries ran to time.",
        "Tags on the crates showed where they came from.",
        "First published in 1850, the paper covered the harbour for a century.",
        "She said: the fares will rise on Monday, November 18, 2019 at 10:12 am, he said:",
    ]);
}

#[test]
fn a_byline_with_a_stamp_names_only_the_writer() {
    for line in [
        "By Jane Roe on Monday, November 18th, 2019 at 11:08 a.m.",
        "By Jane Roe - 06:56 AM EST",
        "By Jane Roe | May 6, 2025",
    ] {
        let c = decide(&art("Fares rise", &[line, P1, P2]), &Evidence::default());
        assert_eq!(c.byline.as_deref(), Some("Jane Roe"), "{line:?}");
    }
}

#[test]
fn a_note_on_the_writer_is_hidden_where_the_story_ends_only() {
    let note = "Jane Roe (jane@example.com) is a senior staff writer at the Harbour Times, covering transport and the port.";
    let c = decide(
        &art("Fares rise", &[P1, P2, P3, note]),
        &Evidence::default(),
    );
    assert_eq!(c.blocks[3].kind, Kind::Byline, "{}", c.blocks[3].reason);
    assert!(!c.blocks[3].shown);
    // the same shape inside the story is the story's
    let c = decide(
        &art("Fares rise", &[P1, note, P2, P3]),
        &Evidence::default(),
    );
    assert!(c.blocks[1].shown, "{}", c.blocks[1].reason);
}

#[test]
fn a_summary_in_the_writers_voice_above_the_story_is_shown() {
    let dek = "Our favourites are cheap to run, quiet at sea, and easy to board";
    let c = decide(
        &art(
            "Fares rise",
            &["Updated on November 20, 2025", dek, "By Jane Roe", P1, P2],
        ),
        &Evidence::default(),
    );
    assert!(c.blocks[1].shown, "{}", c.blocks[1].reason);
    assert!(!c.blocks[0].shown && !c.blocks[2].shown);
}

#[test]
fn readers_comments_under_their_heading_are_hidden() {
    let comment = "I take this ferry every day and the new fares will cost me a fortune, but the crews are wonderful.";
    let heading = "3 thoughts on “Fares rise”";
    let c = decide(
        &art(
            "Fares rise",
            &[
                P1,
                P2,
                P3,
                P4,
                heading,
                "Jo Bloggs",
                "November 19, 2019 at 6:34 am",
                comment,
            ],
        ),
        &Evidence::default(),
    );
    for d in &c.blocks[4..] {
        assert!(!d.shown, "{:?} shown: {}", d.text, d.reason);
    }
    assert!(c.blocks[..4].iter().all(|d| d.shown));
    // the model does not bring a comment back
    let out = crate::clean::clean(
        &art("Fares rise", &[P1, P2, P3, P4, heading, comment]),
        &Evidence::default(),
        &crate::clean::Options::default(),
    );
    assert!(!out.blocks[5].shown, "{}", out.blocks[5].reason);
    // the first comment's header opens them too
    let c = decide(
        &art(
            "Fares rise",
            &[
                P1,
                P2,
                P3,
                P4,
                "Jo Bloggs on November 15, 2018 at 10:12 am said:",
                comment,
            ],
        ),
        &Evidence::default(),
    );
    assert!(!c.blocks[5].shown, "{}", c.blocks[5].reason);
}

#[test]
fn a_count_of_comments_on_another_title_or_above_the_story_hides_nothing_below() {
    let comment = "I take this ferry every day and the new fares will cost me a fortune, but the crews are wonderful.";
    // another story's title
    let c = decide(
        &art(
            "Fares rise",
            &[P1, P2, P3, P4, "3 thoughts on “Bridge reopens”", comment],
        ),
        &Evidence::default(),
    );
    assert!(c.blocks[5].shown, "{}", c.blocks[5].reason);
    // above the story's paragraphs
    let c = decide(
        &art(
            "Fares rise",
            &["3 thoughts on “Fares rise”", P1, P2, P3, P4],
        ),
        &Evidence::default(),
    );
    assert!(c.blocks[1..].iter().all(|d| d.shown), "{c:?}");
}

/// Each line, set between the story's first paragraph and the rest, is hidden on evidence.
fn hidden_on_evidence_between_paragraphs(lines: &[&str]) {
    for line in lines {
        let a = art("Fares rise", &[P1, line, P2, P3]);
        let c = decide(&a, &Evidence::default());
        let d = &c.blocks[1];
        assert!(!d.shown, "{line:?} shown");
        assert_eq!(d.grounds, Grounds::Evidence, "{line:?}: {}", d.reason);
    }
}

/// Each line, set between the story's first paragraph and the rest, is not hidden on
/// evidence.
fn not_evidence_between_paragraphs(lines: &[&str]) {
    for line in lines {
        let a = art("Fares rise", &[P1, line, P2, P3]);
        let c = decide(&a, &Evidence::default());
        assert_ne!(
            c.blocks[1].grounds,
            Grounds::Evidence,
            "{line:?}: {}",
            c.blocks[1].reason
        );
    }
}

#[test]
fn a_time_or_a_date_alone_on_its_line_is_metadata() {
    hidden_on_evidence_between_paragraphs(&[
        "November 19, 2019 at 5:10 pm",
        "Mon, Dec 22, 2025 @ 4:00 pm",
        "Tuesday 18 November 2025, 18:05 GMT",
        "Last updated:Sep 4, 2025",
        "Von Jo Doe publiziert am 30. Juli 2018",
    ]);
    // a live report's time over its entry, a calendar's date over its event, a race's
    // time, a schedule's line, a sentence with a time
    not_evidence_between_paragraphs(&[
        "12:51 p.m.",
        "March 16, 2026",
        "2:05:33",
        "Sunday 9 pm",
        "At 5:50 am the ferry left.",
        "Von den 200 Schulen blieben am 30. Juli 2018 nur 12 offen.",
    ]);
}

#[test]
fn where_the_page_stands_and_labels_over_lists() {
    hidden_on_evidence_between_paragraphs(&[
        "You are here: Home / News / Harbour fares rise",
        "Explore further",
        "Weitere Beiträge zum Thema",
        "Request Reprint & Licensing, Submit Correction or view Editorial Guidelines",
    ]);
    not_evidence_between_paragraphs(&[
        "You are here because the board asked, the mayor told them.",
    ]);
    // a label in a script without capitals, under the story (above it, a lone line of
    // such a script may be the publication's name)
    let a = art("Fares rise", &[P1, P2, P3, "많이 본 뉴스"]);
    let c = decide(&a, &Evidence::default());
    assert_eq!(
        c.blocks[3].grounds,
        Grounds::Evidence,
        "{}",
        c.blocks[3].reason
    );
}

#[test]
fn a_subscription_confirmed_and_bids_to_support_the_site() {
    hidden_on_evidence_between_paragraphs(&[
        "Thank you for subscribing! Please check your inbox.",
        "An email with a link has been sent to you. Please activate your subscription by clicking it.",
        "Do you rely on our reporting? Click here to support it.",
        "If you enjoyed this article, we have a proposition for you: join our members.",
    ]);
    not_evidence_between_paragraphs(&[
        "Readers who enjoyed the first edition wrote to the board, the editor said.",
    ]);
}

#[test]
fn the_model_does_not_show_again_what_words_alone_prove() {
    // the rules' hides the model (reading no words) may not overrule
    for (line, why) in [
        (
            "Jo Doe and Max Roe contributed to this report.",
            "a credit for a contribution",
        ),
        ("November 19, 2019 at 5:10 pm", "a date and a time of day"),
        ("Related stories:", "a label over a list of other stories"),
    ] {
        let a = art("Fares rise", &[P1, line, P2, P3]);
        let c = crate::clean::clean(&a, &Evidence::default(), &crate::clean::Options::default());
        assert!(!c.blocks[1].shown, "{line:?}: {}", c.blocks[1].reason);
        assert!(
            c.blocks[1].reason.starts_with(why),
            "{}",
            c.blocks[1].reason
        );
    }
}

#[test]
fn a_note_on_the_writer_under_its_label() {
    let note = "Jo Doe writes on harbours and ferries for the paper's weekend pages.";
    let a = art("Fares rise", &[P1, P2, "About the author", note, P3]);
    let k = decided(&a);
    assert_eq!(k[2], (Kind::Byline, false));
    assert_eq!(k[3], (Kind::Byline, false));
    assert!(k[4].1, "the paragraph after the note is not the note's");
    let glued = "About the Author Jo Doe is a writer at the Harbour Times.";
    assert_eq!(
        decided(&art("Fares rise", &[P1, P2, glued]))[2],
        (Kind::Byline, false)
    );
    // a sentence that opens with the same words is the story's
    let k = decided(&art(
        "Fares rise",
        &[P1, "About the authorities, the mayor said little.", P2],
    ));
    assert!(k[1].1);
}

#[test]
fn buttons_asking_the_reader_to_act() {
    hidden_on_evidence_between_paragraphs(&[
        "Learn more",
        "Book now",
        "Read Review!",
        "Get in touch",
    ]);
    // a label over what follows, a sentence, a heading of the story
    not_evidence_between_paragraphs(&[
        "Learn more:",
        "Learn more about the ferry's history at the harbour museum.",
        "Getting started with the new timetable",
    ]);
    // evidence of themselves only: a story stored clean keeps its shape
    let c = crate::clean::clean(
        &art("Fares rise", &["Ferry fares", P1, P2, "Book now"]),
        &Evidence::default(),
        &crate::clean::Options::default(),
    );
    assert!(c.blocks[0].shown, "{}", c.blocks[0].reason);
}

#[test]
fn bylines_and_stamps_of_other_shapes() {
    hidden_on_evidence_between_paragraphs(&[
        "Monday November 18, 2019 7:45 am PST by Jo Doe",
        "Staff reports",
        "From staff and wire reports",
        "The harbour master at the quay on Monday (AFP)",
        "Why you can trust the Harbour Times",
        "阅读简体中文版閱讀繁體中文版",
    ]);
    not_evidence_between_paragraphs(&[
        "21/06/2014 was the day the ferry sank.",
        "The staff reports were filed on Monday 18 November 2019 at 7:45 am by the clerk.",
        "Staff reports of the fire reached the desk late.",
        "The wire (AFP) was cut.",
        "Die elektronische Patientenakte (ePA)",
        "2018.04.05 ~ OPEN RUN",
    ]);
}

#[test]
fn trails_and_stamps_of_the_site() {
    hidden_on_evidence_between_paragraphs(&[
        "Home » Blogs » Smartphone Basics for Older Adults: Unlocking the Digital World",
        "Last Updated January, 2025",
        "Scroll to Top",
    ]);
    not_evidence_between_paragraphs(&[
        "Home » the ferry's new timetable and what it means for the harbour",
        "Last January, 2025 began with a storm.",
    ]);
}

#[test]
fn more_labels_notes_and_a_forms_messages() {
    hidden_on_evidence_between_paragraphs(&[
        "You may also like these posts...",
        "Recommended posts:",
        "Oops! Something went wrong while submitting the form.",
        "Links in this post may generate small commissions that keep this website running.",
    ]);
    not_evidence_between_paragraphs(&[
        "You may also like the new timetable, the board said.",
        "Something went wrong with the ferry's engine on Monday.",
    ]);
}
