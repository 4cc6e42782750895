//! The seed article must read perfectly: exactly its labelled story paragraphs, in order,
//! the source from its lone source line, every other block hidden with a kind.

mod common;

#[test]
fn seed_article_reads_perfectly() {
    let Some(shared) = common::shared() else {
        return;
    };
    let seed = shared.join("seed/000_6e3b5fed3cbd1306.txt");
    let labels: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(shared.join("seed/labels.jsonl"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let want_body: Vec<&str> = labels["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["label"] == "body")
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    let want_hidden: Vec<&str> = labels["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["label"] == "boiler")
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    let got = common::export_json(&[&seed]);
    assert_eq!(got.len(), 1);
    let s = &got[0];
    let body: Vec<&str> = s["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(body, want_body);
    assert_eq!(s["source"], "Duvar English");
    assert_eq!(s["title"], labels["title"]);
    assert!(s["path"]
        .as_str()
        .unwrap()
        .ends_with("000_6e3b5fed3cbd1306.txt"));
    let hidden = s["hidden"].as_array().unwrap();
    let texts: Vec<&str> = hidden.iter().map(|h| h["text"].as_str().unwrap()).collect();
    assert_eq!(texts, want_hidden);
    let kinds: Vec<&str> = hidden.iter().map(|h| h["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "standfirst",
            "source-line",
            "related-headline",
            "related-headline",
            "headline-list"
        ]
    );
    assert!(hidden
        .iter()
        .all(|h| !h["reason"].as_str().unwrap().is_empty()));
}
