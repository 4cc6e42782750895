//! Stories stored clean lose nothing (issue 11): briefs, an explainer with a list, a Q&A,
//! a sports report ending in results, a roundup of line scores, reported speech about
//! comments, place names under the headline. Each is exported alone and all together as
//! one folder (where each other's titles and repeats are evidence the cleaner reads);
//! nothing may be hidden.

mod common;

use std::path::Path;

const STORIES: &[(&str, &[&str])] = &[
    (
        "Snow closes schools",
        &["Heavy snow closed more than 200 schools on Monday."],
    ),
    (
        "Snow closes more than 200 schools",
        &[
            "Heavy snow closed more than 200 schools on Monday.",
            "Forecasters expect more snow overnight.",
            "Parents should check the county website before setting out in the morning, officials said.",
        ],
    ),
    (
        "Ferry fares to rise",
        &[
            "Ferry fares across the harbour will rise by ten per cent in April.",
            "The operator said fuel costs had grown for four years in a row.",
            "Season tickets are not affected.",
            "A consultation on winter timetables opens next month.",
        ],
    ),
    (
        "What the new bin rules mean for you",
        &[
            "The new rules take effect on 1 April. Here is what changes.",
            "1. Bins are collected every other week",
            "2. Food waste goes in the green caddy",
            "3. Glass is collected once a month",
            "Residents who miss a collection can book an extra one online.",
        ],
    ),
    (
        "Your questions on the bridge closure answered",
        &[
            "The Harbour Bridge closes for repairs for six weeks from Monday.",
            "When does it reopen?",
            "The council expects to reopen it on 14 March, weather permitting.",
            "How do I get across?",
            "A free shuttle bus will run every ten minutes from the quay",
            "Will cyclists be able to cross?",
            "Yes. A lane on the rail bridge will be open to bicycles throughout.",
        ],
    ),
    (
        "Aldmoor win at the quay",
        &[
            "Aldmoor beat Quayside 3-1 on Saturday to go top of the league.",
            "Two goals in the last ten minutes settled a tense afternoon in front of a crowd of 4,000.",
            "Results",
            "Aldmoor 3 Quayside 1",
            "Northfield 0 Harbour Town 2",
            "Eastcliff 1 Millbrook 1",
        ],
    ),
    (
        "Roundup: Quayside stay unbeaten",
        &[
            "Quayside d. Aldmoor 58-41",
            "Aldmoor 10 12 9 10 — 41",
            "Quayside 14 15 16 13 — 58",
            "Quayside (3-0): Reyes 21 points. Okafor 12 points. Dunne 9 points. Marsh 8 points. Ives 4 points. Tull 4 points.",
            "Aldmoor (1-2): Lind 14 points. Brook 11 points. Hale 8 points. Poole 6 points. Crane 2 points.",
            "Northfield d. Eastcliff 47-39",
            "Northfield (2-1): Moss 18 points and 7 rebounds. Vale 10 points. Ashe 9 points. Penn 6 points. Rowe 4 points.",
            "Eastcliff (0-3): Brandt 11 points. Coyle 10 points. Frost 8 points. Nash 6 points. Orr 4 points.",
            "Millbrook d. Harbour Town 61-30",
            "Millbrook (2-0): Quinn 16 points. Slade 14 points. Tate 11 points. Webb 10 points. Yates 10 points.",
            "Harbour Town (0-2): Abbot 12 points. Birch 9 points. Cole 5 points. Dean 4 points.",
            "BOYS FOOTBALL",
            "Quayside d. Millbrook 2-1",
            "Quayside (4-1): Reyes 1 goal. Okafor 1 goal. Dunne 4 saves.",
            "Millbrook (2-2): Slade 1 goal. Webb 6 saves.",
        ],
    ),
    (
        "Minister silent on harbour report",
        &[
            "The harbour minister declined to make any comments on the report, her office said on Tuesday.",
            "Opposition members said the silence was telling.",
            "The report will be debated next week.",
        ],
    ),
    (
        "Paper keeps its letter free",
        &[
            "Subscribers who unsubscribe from the paper's print edition will keep the morning letter free, the editor said on Monday.",
            "Readers who unsubscribed from the old mailing list last year were asked back in a letter from the chair.",
            "Numbers had fallen by half since the price rose, and the board wants you to know why, the chair wrote.",
            "Print subscriptions have fallen for six years in a row.",
        ],
    ),
    (
        "Steam crane returns to the quay",
        &[
            "ALDMOOR, North Quay",
            "The last working steam crane on Aldmoor's north quay was lifted back onto its rails on Tuesday after a two-year restoration.",
            "Volunteers raised the money through a series of open days.",
        ],
    ),
];

fn write(dir: &Path, i: usize, title: &str, paras: &[&str]) -> std::path::PathBuf {
    let p = dir.join(format!("{i:02}.txt"));
    std::fs::write(&p, format!("{title}\n\n{}\n", paras.join("\n\n"))).unwrap();
    p
}

fn nothing_hidden(stories: &[serde_json::Value]) {
    for s in stories {
        let hidden = s["hidden"].as_array().unwrap();
        assert!(hidden.is_empty(), "{}: hidden {hidden:?}", s["title"]);
    }
}

#[test]
fn stories_stored_clean_show_whole_alone() {
    let tmp = tempfile::tempdir().unwrap();
    for (i, (title, paras)) in STORIES.iter().enumerate() {
        let p = write(tmp.path(), i, title, paras);
        let out = common::export_json(&[&p]);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0]["body"].as_array().unwrap().len(),
            paras.len(),
            "{title}"
        );
        nothing_hidden(&out);
    }
}

#[test]
fn stories_stored_clean_show_whole_in_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    for (i, (title, paras)) in STORIES.iter().enumerate() {
        write(tmp.path(), i, title, paras);
    }
    let out = common::export_json(&[tmp.path()]);
    assert_eq!(out.len(), STORIES.len());
    nothing_hidden(&out);
}

/// A newsletter's notes to its reader about the subscription are hidden; its story's
/// sentence about subscribers is not.
#[test]
fn a_newsletters_subscription_notes_are_hidden_not_its_story() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("letter.eml");
    std::fs::write(
        &p,
        "From: \"Valley Notes\" <notes@valley.example>\r\nSubject: Flood wardens wanted\r\n\
         Date: Fri, 28 Feb 2020 07:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Having trouble reading this? View it in your browser: https://valley.example/web/28\n\n\
         Lyle's flood group is looking for six new wardens to check the river gauges after heavy rain.\n\n\
         Subscribers who unsubscribe from the paper's print edition will keep the letter free, the editor said.\n\n\
         Training is on two Saturday mornings in March at the village hall.\n\n\
         You received this message because you are subscribed to Valley Notes. To stop receiving these emails, unsubscribe here: https://valley.example/u\n\n\
         Manage your preferences: https://valley.example/p\n",
    )
    .unwrap();
    let out = common::export_json(&[&p]);
    let body: Vec<&str> = out[0]["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    assert_eq!(body.len(), 3, "{body:#?}");
    assert!(
        body[1].starts_with("Subscribers who unsubscribe"),
        "{body:#?}"
    );
    let hidden = out[0]["hidden"].as_array().unwrap();
    assert_eq!(hidden.len(), 3, "{hidden:#?}");
    for h in hidden {
        assert_eq!(h["kind"], "promo", "{h}");
        assert!(
            h["reason"]
                .as_str()
                .unwrap()
                .contains("about the subscription"),
            "{h}"
        );
    }
}

#[test]
fn clutter_beside_the_story_is_still_hidden() {
    // the same brief scraped: a share bar, a "Most read" list run together, a caption
    let tmp = tempfile::tempdir().unwrap();
    let p = write(
        tmp.path(),
        0,
        "Snow closes more than 200 schools",
        &[
            "Share this article",
            "Heavy snow closed more than 200 schools on Monday.",
            "Photo: Jane Roe/Coast Agency",
            "Forecasters expect more snow overnight.",
            "Most read Council approves new library on quay Mayor opens bridge Local team wins cup Storm closes coast road",
        ],
    );
    let out = common::export_json(&[&p]);
    let body: Vec<&str> = out[0]["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    assert_eq!(
        body,
        [
            "Heavy snow closed more than 200 schools on Monday.",
            "Forecasters expect more snow overnight."
        ]
    );
}
