//! The thresholds of the rules, named in one place (used by `shapes` and every pass of
//! `rules`). Counts are of words (`features::Features::words`) unless said otherwise.

// --- the header's shapes (`shapes`) ---

/// Words from which a full sentence reads as a paragraph: a standfirst at the top, or
/// the story starting under a source line.
pub(super) const PARAGRAPH_MIN_WORDS: usize = 8;
/// Blocks from the top searched for the stated source line.
pub(super) const HEADER_BLOCKS: usize = 6;
/// Most words of a byline ("By" and a name).
pub(super) const BYLINE_MAX_WORDS: usize = 8;
/// Most words of a dateline.
pub(super) const DATELINE_MAX_WORDS: usize = 8;
/// Most words of a date stamp that also holds a time of day.
pub(super) const TIMESTAMP_MAX_WORDS: usize = 16;
/// Fewest digits of a dateline that is mostly digits ("09/12/2019 08:15").
pub(super) const DATELINE_MIN_DIGITS: usize = 4;
/// Numbers standing alone, side by side, that make a line a row of figures (a line score,
/// a table's row), not a date written in numbers.
pub(super) const ROW_MIN_FIGURES: usize = 3;
/// Most words of the publisher's name a copyright line gives.
pub(super) const HOLDER_MAX_WORDS: usize = 6;
/// Most words of a lone source line.
pub(super) const SOURCE_MAX_WORDS: usize = 4;

// --- pass 1, intrinsic (`rules::intrinsic`) ---

/// Words of a block the furniture checks read (they judge short blocks only).
pub(super) const FURNITURE_READ_WORDS: usize = 32;
/// Most words of a caption that opens with a caption word ("Photo: ...").
pub(super) const CAPTION_MAX_WORDS: usize = 30;
/// Most words of a block hidden for carrying a picture credit ("Credit:", "(Photo").
pub(super) const CREDIT_MAX_WORDS: usize = 40;
/// Most words of a sentence that is furniture for addressing the reader (a sign-up box).
pub(super) const FURNITURE_SENTENCE_MAX_WORDS: usize = 25;
/// The most words of a newsletter's note about the subscription (an unsubscribe footer,
/// "view in your browser"): two or three sentences with their links.
pub(super) const SUBSCRIPTION_NOTE_MAX_WORDS: usize = 60;
/// More words than this, unpunctuated, after a list heading: other stories run together.
pub(super) const LIST_MIN_WORDS: usize = 12;
/// Most words of a label over a list of other stories ("You may also like...").
pub(super) const LIST_LABEL_MAX_WORDS: usize = 8;
/// Most words of a notice that the page may not be copied.
pub(super) const NOTICE_MAX_WORDS: usize = 60;
/// Most words of a share bar.
pub(super) const SHARE_BAR_MAX_WORDS: usize = 24;
/// Most blocks after a list label read as the list's headlines.
pub(super) const LIST_REACH: usize = 12;
/// Most words of a question read as a headline in a list under a label.
pub(super) const LIST_QUESTION_MAX_WORDS: usize = 16;
/// Most words of an unpunctuated line hidden for its furniture words.
pub(super) const FURNITURE_LINE_MAX_WORDS: usize = 12;
/// Most words of a teaser ("Read more: Storm closes road").
pub(super) const TEASER_MAX_WORDS: usize = 30;
/// Most words of a block hidden for ending with a picture credit.
pub(super) const CREDIT_TAIL_MAX_WORDS: usize = 50;
/// Most words of the names in a credit joined by slashes ("Jane Roe/Coast Agency").
pub(super) const CREDIT_NAMES_MAX_WORDS: usize = 8;
/// Most words of a credit in a closing parenthesis ("(Coast Agency)").
pub(super) const CREDIT_PAREN_MAX_WORDS: usize = 5;
/// Words from which an unpunctuated block may be headlines run together.
pub(super) const RUN_TOGETHER_MIN_WORDS: usize = 15;
/// Words from which an unpunctuated block that is not headlines run together is prose.
pub(super) const UNPUNCTUATED_PROSE_WORDS: usize = 20;
/// Words from which a block with a sentence break inside it is prose.
pub(super) const BROKEN_PROSE_WORDS: usize = 8;
/// Headlines carry at most one comma per this many words; more is a sentence.
pub(super) const WORDS_PER_COMMA: usize = 12;
/// Restarts (a capital after lower case) that make a block headlines run together.
pub(super) const RESTARTS: usize = 3;
/// Restarts enough in a block of [`LONG_RUN_WORDS`] or more.
pub(super) const RESTARTS_IN_LONG: usize = 2;
/// Words of a long run of headlines, where [`RESTARTS_IN_LONG`] restarts are enough.
pub(super) const LONG_RUN_WORDS: usize = 25;
/// Words from which a block capitalised throughout (three in four) is headlines.
pub(super) const CAPITALISED_RUN_WORDS: usize = 20;

// --- the header pass (`rules::mod`) ---

/// Fewest words of a standfirst's opening sentence that the lede must repeat.
pub(super) const STANDFIRST_OPENING_WORDS: usize = 4;
/// Furthest the lede may stand below the standfirst, in blocks.
pub(super) const STANDFIRST_REACH: usize = 5;

// --- pass 3, archive evidence (`rules::archive`) ---

/// A line repeated across stories of no known source is furniture when at least one in
/// this many of the archive's stories carries it.
pub(super) const ARCHIVE_SHARE: usize = 10;
/// Most words of a full sentence hidden for repeating across stories; longer prose is
/// shared wire copy and stays.
pub(super) const ARCHIVE_PROSE_MAX_WORDS: usize = 60;
/// Words from which an unpunctuated repeat is a list of headlines rather than furniture.
pub(super) const ARCHIVE_LIST_MIN_WORDS: usize = 15;

// --- pass 4, repeats within the article (`rules::repeats`) ---

/// Fewest words of a block whose sentences may all be a pull quote or teaser.
pub(super) const PULL_QUOTE_MIN_WORDS: usize = 8;
/// Most words of such a block (and of its sentences looked for elsewhere).
pub(super) const PULL_QUOTE_MAX_WORDS: usize = 60;
/// Fewest words of a block checked for repeats at all.
pub(super) const REPEAT_MIN_WORDS: usize = 4;

// --- pass 5, context (`rules::context`) ---

/// Lines that are not prose which, in a row, cut a paragraph off from the story.
pub(super) const GAP: usize = 6;
/// Words of prose a group above the story's core needs to be taken as its introduction.
pub(super) const INTRO_WORDS: usize = 50;
/// Short lines in a row that make a table, a menu or a list of links, not subheadings.
pub(super) const SHORT_RUN: usize = 3;
/// Most words of a line counted as a short line in such a run.
pub(super) const SHORT_LINE_MAX_WORDS: usize = 5;
/// Most words of a subheading.
pub(super) const SUBHEADING_MAX_WORDS: usize = 5;
/// Most words of a fragment counted as furniture between groups of paragraphs; longer
/// ones (list items, subheadings) bridge the gap.
pub(super) const SPAN_FURNITURE_MAX_WORDS: usize = 3;
/// A group below the story joins it when it holds at least one in this many of its words.
pub(super) const SPAN_JOIN_SHARE: usize = 5;
/// Words from which a paragraph counts as prose beside a label.
pub(super) const NEIGHBOUR_PROSE_WORDS: usize = 6;
/// Most words of a label with no paragraph on either side.
pub(super) const LABEL_MAX_WORDS: usize = 2;
/// Most words of a short line above the story taken for a byline, dateline or section.
pub(super) const HEADER_LINE_MAX_WORDS: usize = 12;
/// Words from which a line between story paragraphs is longer than a headline.
pub(super) const INLINE_PROSE_MIN_WORDS: usize = 15;
/// Most words of a line of story metadata (a byline with its date, a reading time).
pub(super) const METADATA_MAX_WORDS: usize = 30;
/// Most words of a reading time ("Reading time: 8 minutes").
pub(super) const READ_TIME_MAX_WORDS: usize = 6;
/// Most words of one step of a breadcrumb trail.
pub(super) const BREADCRUMB_STEP_MAX_WORDS: usize = 6;
/// Most words of a dateline that closes with a reading time ("Nov 18, 2019 at 9:24 pm ET
/// • 2 min read").
pub(super) const READ_TIME_LINE_MAX_WORDS: usize = 16;
/// Most words of a picture credit on a line of its own ("Jane Roe, Associated Press").
pub(super) const CREDIT_LINE_MAX_WORDS: usize = 8;
/// Most words of a subheading set in capitals.
pub(super) const CAPITAL_SUBHEADING_MAX_WORDS: usize = 8;

/// Most words of a bid to follow that breaks off at "on" ("Follow RT on").
pub(super) const FOLLOW_LINE_MAX_WORDS: usize = 6;

/// Most words of a labelled picture credit ("Image copyright Getty Images").
pub(super) const PICTURE_CREDIT_MAX_WORDS: usize = 8;

/// Most words of a note on the writer below the story.
pub(super) const WRITER_NOTE_MAX_WORDS: usize = 70;

/// Fewest words of a summary in the writer's voice above the story.
pub(super) const SUMMARY_IN_VOICE_MIN_WORDS: usize = 6;

/// Most words of a line listing the story's tags ("Tags: Ferries, Harbour, Fares").
pub(super) const TAGS_MAX_WORDS: usize = 20;

/// Paragraphs of the story needed above the readers' comments before they are read as
/// such.
pub(super) const COMMENTS_MIN_PROSE_ABOVE: usize = 3;

/// Characters of the title's key that the comments' heading must repeat.
pub(super) const COMMENTS_TITLE_KEY_CHARS: usize = 40;

/// Most words of a caption an agency's name in brackets closes ("Jo Doe at the quay (AFP)").
pub(super) const CAPTION_AGENCY_MAX_WORDS: usize = 15;
