//! Screens tested like values: the reader rendered into ratatui's `TestBackend` and
//! compared with snapshots in `tests/snapshots/*.txt` (plain text, one row per line).
//! After a deliberate change to the screen, regenerate them with
//! `UPDATE_SNAPSHOTS=1 cargo test --test ui` and review the diff.
//!
//! Exact screens use small hand-made stories; the screen on the sample archive
//! (`articles/`), whose cleaning keeps improving, is checked by key substrings.

use broadsheet::app::{App, Msg, Settings};
use broadsheet::archive::{self, Story};
use broadsheet::article::{Article, Block};
use broadsheet::clean::{Cleaned, Decision, Grounds, Kind};
use broadsheet::config::Config;
use broadsheet::keymap::{Action, Code, Key, Keymap};
use broadsheet::ui::{to_text, Screen, Theme};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::{Path, PathBuf};

fn block(text: &str, kind: Kind, shown: bool, reason: &str) -> Decision {
    Decision {
        text: text.into(),
        markup: Default::default(),
        kind,
        shown,
        reason: reason.into(),
        grounds: if shown {
            Grounds::Shown
        } else {
            Grounds::Evidence
        },
    }
}

fn story(title: &str, source: &str, date: &str, blocks: Vec<Decision>) -> Story {
    Story {
        article: Article {
            path: PathBuf::from(format!("fixture/{}.txt", title.len())),
            title: title.into(),
            source: Some(source.into()),
            date: Some(date.into()),
            authors: vec![],
            blocks: blocks.iter().map(|d| Block::para(d.text.clone())).collect(),
            ..Article::default()
        },
        cleaned: Cleaned {
            blocks,
            ..Cleaned::default()
        },
    }
}

/// Three small stories: one with hidden blocks, one with a CJK title, one with emoji.
fn fixtures() -> Vec<Story> {
    let s = |t: &str| block(t, Kind::Story, true, "a story paragraph");
    vec![
        story(
            "Harbour ferry fares to rise in spring",
            "The Harbour Times",
            "2020-02-28",
            vec![
                s("Ferry fares across the harbour will rise by ten per cent from April, the transport board said on Friday, the first increase in four years."),
                block("Storm closes coast road", Kind::RelatedHeadline, false, "another story's headline between paragraphs"),
                s("A single crossing will cost £2.75. Children under 12 travel free."),
                block("Share on Facebook Share on Twitter", Kind::Promo, false, "a share bar"),
                s("\"Nobody wanted to put fares up,\" said the board's chair."),
            ],
        ),
        story(
            "潮見の朝市、三年ぶりに再開 地元の漁師らが鮮魚を販売",
            "潮見新聞",
            "2021-05-02",
            vec![s("朝市は午前六時に始まり、地元の漁師が鮮魚を並べた。")],
        ),
        story(
            "🎉 Cheese fair draws a record crowd of 40,000 visitors",
            "Valley Courier",
            "2019-09-14",
            vec![s("Organisers said the fair drew its biggest crowd yet.")],
        ),
    ]
}

fn app_with(stories: Vec<Story>, w: u16, h: u16) -> App {
    App::with_stories(Settings::default(), Keymap::default(), stories, (w, h))
}

fn render(app: &App, w: u16, h: u16) -> String {
    let theme = Theme::default();
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| f.render_widget(Screen { app, theme: &theme }, f.area()))
        .unwrap();
    to_text(t.backend().buffer())
}

fn press(app: &mut App, keys: &[Key]) {
    for k in keys {
        app.update(Msg::Key(*k));
    }
}

fn snapshot(name: &str, screen: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, screen).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}; run UPDATE_SNAPSHOTS=1 cargo test --test ui\n{screen}",
            path.display()
        )
    });
    assert!(
        want == screen,
        "screen {name} differs from {}\n--- want\n{want}--- got\n{screen}\n\
         (after a deliberate change: UPDATE_SNAPSHOTS=1 cargo test --test ui)",
        path.display()
    );
}

#[test]
fn first_screen_on_the_sample_articles_at_100x30() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    let a = archive::open(&[dir], &Config::default().clean_options(false));
    let first = a.stories[0].clone();
    let n = a.stories.len();
    // a story newsboat has read (the sample cache holds one) is listed read
    let unread = a
        .stories
        .iter()
        .filter(|s| s.article.feed_unread != Some(false))
        .count();
    assert_eq!(unread, n - 1);
    let app = app_with(a.stories, 100, 30);
    let screen = render(&app, 100, 30);
    let rows: Vec<&str> = screen.lines().collect();
    assert_eq!(rows.len(), 30);
    assert!(
        rows[0].starts_with(&format!("┌ Stories {n} · {unread} unread ")),
        "{screen}"
    );
    // the first story is selected and shown in the reading pane
    let title: String = first.article.title.chars().take(20).collect();
    assert!(rows[1].contains(&title), "{screen}");
    assert!(rows[0].contains(&title), "reader title: {screen}");
    let para = first.cleaned.body().next().unwrap().text.clone();
    let start: String = para.split(' ').take(4).collect::<Vec<_>>().join(" ");
    assert!(
        screen.contains(&start),
        "first paragraph {start:?}: {screen}"
    );
    assert!(rows[1].contains(" min"), "meta line: {screen}");
    assert!(rows[28].contains('%'), "scroll position: {screen}");
    // hints from the live keymap
    let status = rows[29];
    for hint in [
        "j/k move",
        "enter read",
        "J/K story",
        "/ filter",
        "? help",
        "q quit",
    ] {
        assert!(status.contains(hint), "{hint:?} in {status:?}");
    }
    // no hidden block's text is on screen
    for h in first.cleaned.hidden() {
        if h.text.len() > 25 && !first.cleaned.body().any(|b| b.text.contains(&h.text)) {
            assert!(!screen.contains(&h.text), "hidden {:?} shown", h.text);
        }
    }
}

#[test]
fn first_screen_of_fixtures() {
    let app = app_with(fixtures(), 100, 30);
    snapshot("fixtures_100x30", &render(&app, 100, 30));
}

#[test]
fn read_and_starred_state_plugs_into_the_list() {
    let mut app = app_with(fixtures(), 100, 30);
    // read, starred, scroll paragraph: the second starred, the third read
    let marks = vec![
        (false, false, None),
        (false, true, None),
        (true, false, None),
    ];
    app.update(Msg::State { from: 0, marks });
    let screen = render(&app, 100, 30);
    let rows: Vec<&str> = screen.lines().collect();
    assert!(rows[0].contains("Stories 3 · 2 unread"), "{}", rows[0]);
    assert!(rows[1].starts_with("│● Harbour"), "{}", rows[1]);
    assert!(rows[3].starts_with("│★ 潮見"), "{}", rows[3]);
    assert!(rows[5].starts_with("│  🎉 Cheese"), "{}", rows[5]);
}

#[test]
fn story_with_hidden_blocks_shown() {
    let mut app = app_with(fixtures(), 100, 30);
    press(&mut app, &[Key::plain(Code::Enter), Key::ch('H')]);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("hidden · related-headline · another story's headline"));
    assert!(screen.contains("Storm closes coast road"));
    assert!(screen.contains("2 hidden, shown"));
    snapshot("hidden_shown_100x30", &screen);
    press(&mut app, &[Key::ch('H')]);
    let screen = render(&app, 100, 30);
    assert!(!screen.contains("Storm closes coast road"));
    assert!(screen.contains("2 hidden"));
}

#[test]
fn help_lists_every_binding_from_the_live_keymap() {
    let mut app = app_with(fixtures(), 100, 30);
    press(&mut app, &[Key::ch('?')]);
    let screen = render(&app, 100, 30);
    snapshot("help_100x30", &screen);
    // more bindings than rows: the rest are a scroll away
    for _ in 0..30 {
        press(&mut app, &[Key::ch('j')]);
    }
    let screen = format!("{screen}{}", render(&app, 100, 30));
    for (action, keys) in app.keymap().bindings() {
        assert!(screen.contains(action.describe()), "{action:?}");
        assert!(screen.contains(&keys[0].to_string()), "{action:?}");
    }
    press(&mut app, &[Key::ch('x')]);
    assert!(!render(&app, 100, 30).contains("this help"));
    // on a short screen help scrolls, down to its last line and no further
    app.update(Msg::Resize(60, 12));
    press(&mut app, &[Key::ch('?')]);
    for _ in 0..30 {
        press(&mut app, &[Key::ch('j')]);
    }
    let screen = render(&app, 60, 12);
    let rows: Vec<&str> = screen.lines().collect();
    assert!(rows[10].contains("export the story"), "{screen}");
}

#[test]
fn remapped_keys_show_in_hints_and_help() {
    let cfg = Config::parse(
        "[keys]\nquit = [\"x\"]\ndown = [\"ctrl-n\"]\n",
        Path::new("k.toml"),
    )
    .unwrap();
    let mut app = App::with_stories(
        Settings::from_config(&cfg),
        cfg.keymap().unwrap(),
        fixtures(),
        (100, 30),
    );
    let screen = render(&app, 100, 30);
    let status = screen.lines().last().unwrap();
    assert!(
        status.contains("x quit") && status.contains("ctrl-n/k move"),
        "{status}"
    );
    press(&mut app, &[Key::ctrl('n')]);
    assert_eq!(app.selected(), 1);
    app.update(Msg::Do(Action::Help));
    assert!(render(&app, 100, 30).contains("ctrl-n"));
}

#[test]
fn narrow_layout_at_60x20() {
    let mut app = app_with(fixtures(), 60, 20);
    snapshot("narrow_list_60x20", &render(&app, 60, 20));
    press(&mut app, &[Key::plain(Code::Enter)]);
    snapshot("narrow_reader_60x20", &render(&app, 60, 20));
}

#[test]
fn tiny_10x4() {
    let mut app = app_with(fixtures(), 10, 4);
    snapshot("tiny_10x4", &render(&app, 10, 4));
    press(&mut app, &[Key::plain(Code::Enter)]);
    snapshot("tiny_reader_10x4", &render(&app, 10, 4));
}

#[test]
fn one_by_one_and_every_small_size_draw_without_panicking() {
    let mut app = app_with(fixtures(), 1, 1);
    render(&app, 1, 1);
    for w in 0..=40u16 {
        for h in 0..=12u16 {
            app.update(Msg::Resize(w, h));
            for keys in [
                &[Key::ch('j')][..],
                &[Key::plain(Code::Enter), Key::ch('H')],
                &[Key::ch('?')],
                &[Key::ch('x'), Key::ch('/'), Key::ch('字')],
                &[Key::plain(Code::Esc), Key::plain(Code::Esc), Key::ch('G')],
            ] {
                press(&mut app, keys);
                if w > 0 && h > 0 {
                    render(&app, w, h);
                }
            }
        }
    }
}

#[test]
fn control_characters_never_reach_the_screen() {
    let s = story(
        "Evil \x1b[2J title\x07",
        "Src\x1b]0;x\x07",
        "2020-01-01",
        vec![block(
            "Body \x1b[31mred\x1b[0m and \u{9b}c1 text",
            Kind::Story,
            true,
            "",
        )],
    );
    let mut app = app_with(vec![s], 80, 12);
    press(
        &mut app,
        &[Key::plain(Code::Enter), Key::ch('/'), Key::ch('\u{7}')],
    );
    let screen = render(&app, 80, 12);
    assert!(
        !screen.chars().any(|c| c.is_control() && c != '\n'),
        "{screen:?}"
    );
    assert!(screen.contains("Body [31mred[0m and c1 text"));
}

#[test]
fn filter_shows_in_the_list_title_and_status() {
    let mut app = app_with(fixtures(), 100, 30);
    press(
        &mut app,
        &[Key::ch('/'), Key::ch('c'), Key::ch('h'), Key::ch('e')],
    );
    let screen = render(&app, 100, 30);
    assert!(screen.contains("Stories 1/3 · /che"), "{screen}");
    assert!(screen.lines().last().unwrap().contains("/che"));
    assert!(screen.contains("Cheese fair"));
    assert!(!screen.contains("Harbour ferry fares"));
}

#[test]
fn no_color_uses_no_colours() {
    let mut app = app_with(fixtures(), 100, 30);
    press(&mut app, &[Key::plain(Code::Enter), Key::ch('H')]);
    let theme = Theme::new(&Config::default().theme, false);
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| {
        f.render_widget(
            Screen {
                app: &app,
                theme: &theme,
            },
            f.area(),
        )
    })
    .unwrap();
    let buf = t.backend().buffer();
    use ratatui::style::{Color, Modifier};
    assert!(buf
        .content()
        .iter()
        .all(|c| c.fg == Color::Reset && c.bg == Color::Reset));
    // the selection and hidden blocks still stand out
    assert!(buf
        .content()
        .iter()
        .any(|c| c.modifier.contains(Modifier::DIM)));
    assert!(buf
        .content()
        .iter()
        .any(|c| c.modifier.contains(Modifier::UNDERLINED)));
}

/// Frame time for a keypress on a long story (run with
/// `cargo test --release --test ui -- --ignored --nocapture frame_time`).
#[test]
#[ignore]
fn frame_time_on_a_long_story() {
    let para = "The harbour board met again on Tuesday to discuss the fares, the boats and the timetable for the summer, and agreed nothing. ";
    let n: usize = std::env::var("PARAS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let paras: Vec<Decision> = (0..n)
        .map(|i| block(&format!("{i} {}", para.repeat(3)), Kind::Story, true, ""))
        .collect();
    let long = story("A very long story", "Src", "2020-01-01", paras);
    let mut stories = fixtures();
    stories.insert(0, long);
    let mut app = app_with(stories, 100, 30);
    let theme = Theme::default();
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let mut frame = |app: &mut App, k: Key| {
        let t0 = std::time::Instant::now();
        app.update(Msg::Key(k));
        t.draw(|f| f.render_widget(Screen { app, theme: &theme }, f.area()))
            .unwrap();
        t0.elapsed()
    };
    let open = frame(&mut app, Key::plain(Code::Enter));
    let mut times = Vec::new();
    for k in [
        Key::ch('j'),
        Key::ch(' '),
        Key::ch('G'),
        Key::ch('g'),
        Key::ctrl('d'),
    ] {
        for _ in 0..20 {
            times.push(frame(&mut app, k));
        }
    }
    times.sort();
    let median = times[times.len() / 2];
    let worst = times[times.len() - 1];
    let resize = {
        let t0 = std::time::Instant::now();
        app.update(Msg::Resize(120, 40));
        t0.elapsed()
    };
    let next = frame(&mut app, Key::ch('J'));
    let back = frame(&mut app, Key::ch('K'));
    let lines = app.reader().unwrap().doc.all_lines().len();
    println!(
        "long story: {n} paragraphs, {} KB, {lines} lines; open {open:?}; scroll keys median {median:?} worst {worst:?}; \
         re-wrap on resize {resize:?}; J {next:?}; K (re-wrap the long one) {back:?}",
        n * (para.len() * 3 + 5) / 1000
    );
}

#[test]
fn full_text_results_show_in_the_list_title() {
    let mut app = app_with(fixtures(), 100, 30);
    press(
        &mut app,
        &[Key::ch('/'), Key::ch('f'), Key::ch('e'), Key::ch('r')],
    );
    app.update(Msg::Key("enter".parse().unwrap()));
    let id = app.entries()[0].id;
    app.update(Msg::SearchResults {
        query: "fer".into(),
        found: Ok(broadsheet::app::SearchAnswer {
            stories: vec![id],
            terms: vec!["fer".into()],
        }),
    });
    let screen = render(&app, 100, 30);
    assert!(screen.contains("Stories 1/3 · full text: fer"), "{screen}");
    assert!(screen.contains("1 story found"), "{screen}");
}

/// Stories from archives: a captured page with its own date (the header says when it was
/// captured too), one dated only by its capture (the list says "captured"), an item
/// newsboat has read (no unread dot), a feed item that is only its summary (the header
/// says so).
#[test]
fn stories_from_archives_say_what_they_are() {
    let s = |t: &str| block(t, Kind::Story, true, "a story paragraph");
    let mut dated = story(
        "Pilot cutter restored after ten-year appeal",
        "The Harbour Times",
        "2020-03-05",
        vec![s(
            "The pilot cutter Marigold sailed out of Port Ellis on Thursday.",
        )],
    );
    dated.article.captured = Some("2020-04-01T08:00:00Z".into());
    let mut undated = story(
        "New lights for the north quay",
        "Quay News",
        "",
        vec![s(
            "Twenty lamp posts along the north quay will be replaced in April.",
        )],
    );
    undated.article.date = None;
    undated.article.captured = Some("2020-03-06T09:00:00Z".into());
    let mut read_there = story(
        "Seal count finds record number of pups",
        "Gull Point Post",
        "2020-02-26",
        vec![s("Volunteers counting seals found 212 pups this winter.")],
    );
    read_there.article.feed_unread = Some(false);
    let mut summary = story(
        "Valley choir sings in the market hall",
        "Marden Weekly",
        "2020-02-26",
        vec![s(
            "The valley choir gave its first concert in the restored market hall.",
        )],
    );
    summary.article.summary_only = true;
    let mut app = app_with(vec![dated, undated, read_there, summary], 100, 30);
    let screen = render(&app, 100, 30);
    snapshot("archives_100x30", &screen);
    let rows: Vec<&str> = screen.lines().collect();
    assert!(rows[0].contains("Stories 4 · 3 unread"), "{}", rows[0]);
    assert!(rows[1].contains("captured 1 Apr 2020"), "{}", rows[1]);
    assert!(rows[4].contains("captured 6 Mar 2020"), "{}", rows[4]);
    assert!(rows[5].starts_with("│  Seal count"), "{}", rows[5]);
    press(&mut app, &[Key::ch('j'), Key::ch('j'), Key::ch('j')]);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("feed summary only"), "{screen}");
}
