//! A letter's content ([`Brief`], made by the domain) laid out as a tagged,
//! accessible PDF (PDF/UA-1) with `krilla`: A4, 25 mm margins, Liberation Sans
//! embedded (subset), the document language nl-NL and a title, and every piece of
//! text in the structure tree — the letterhead and address block as paragraphs,
//! the subject as H1, each section's heading as H2, paragraphs as P, bullet lists as
//! L/LI (Lbl, LBody). The hairline and the page numbers are artifacts. krilla checks
//! the PDF/UA-1 rules it can check while it writes; a violation is an error, never a
//! silently worse letter.
//!
//! Lines are wrapped by their width as shaped with the same font (rustybuzz, as
//! krilla's simple text shapes them). A paragraph keeps at least two lines on a
//! page and carries at least two to the next; a heading stays with the first lines
//! after it; the closing stays with its signatory. A letter longer than one page has
//! "Pagina 1 van 2" under every page. When the letter has a copy for someone else
//! (`Brief::copy_to`), the copy follows in the same file, from a new page, with its
//! own address block, the word "Kopie" above it and its own page numbers.

use std::num::NonZeroU16;

use jeugdroute_domain::{Block, Brief};
use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder, Validator};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, ListNumbering, Node, SpanTag, Tag, TagGroup, TagKind,
    TagTree,
};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};

/// Liberation Sans 2.1.5 (SIL Open Font License 1.1, see `fonts/LICENSE-OFL.txt`).
const REGULAR_TTF: &[u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../fonts/LiberationSans-Bold.ttf");

/// The language of every letter.
const LANGUAGE: &str = "nl-NL";

const MM: f32 = 72.0 / 25.4;
const PAGE_WIDTH: f32 = 210.0 * MM;
const PAGE_HEIGHT: f32 = 297.0 * MM;
const MARGIN: f32 = 25.0 * MM;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// The lowest baseline of body text; page numbers sit below it.
const BOTTOM: f32 = PAGE_HEIGHT - MARGIN;
/// Where the address block starts, measured from the top: inside the window of a
/// Dutch window envelope.
const ADDRESS_TOP: f32 = 50.0 * MM;
/// The left edge of the sender's address, phone and e-mail, top right.
const DETAILS_X: f32 = 135.0 * MM;
const BODY: f32 = 10.5;
const SMALL: f32 = 8.5;
const LEADING: f32 = 15.0;
/// Indent of a field's value, and of a list item's text.
const FIELD_INDENT: f32 = 80.0;
const ITEM_INDENT: f32 = 14.0;

const INK: (u8, u8, u8) = (26, 26, 26);
const ACCENT: (u8, u8, u8) = (23, 64, 107);
const MUTED: (u8, u8, u8) = (89, 89, 89);

/// Why a letter could not be written as PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font {0} cannot be read")]
    Font(&'static str),
    #[error("the PDF cannot be written: {0}")]
    Krilla(String),
}

/// The letter as the bytes of a tagged PDF/UA-1 file.
pub fn pdf(brief: &Brief) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load()?;
    let mut letters = vec![Letter::lay_out(&fonts, brief, &brief.addressee, false)];
    if let Some(copy_to) = &brief.copy_to {
        letters.push(Letter::lay_out(&fonts, brief, copy_to, true));
    }
    write(&fonts, brief, letters)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Regular,
    Bold,
}

/// A font twice over: for krilla to draw and embed, and for rustybuzz to measure.
struct Face {
    font: Font,
    shaper: rustybuzz::Face<'static>,
    units_per_em: f32,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Face")
    }
}

#[derive(Debug)]
struct Fonts {
    regular: Face,
    bold: Face,
}

impl Face {
    fn load(name: &'static str, data: &'static [u8]) -> Result<Face, PdfError> {
        let font = Font::new(data.into(), 0).ok_or(PdfError::Font(name))?;
        let shaper = rustybuzz::Face::from_slice(data, 0).ok_or(PdfError::Font(name))?;
        let units_per_em = f32::from(u16::try_from(shaper.units_per_em()).unwrap_or(1000));
        Ok(Face {
            font,
            shaper,
            units_per_em,
        })
    }

    /// The width of `text` at `size`, shaped as krilla shapes it.
    fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        // Glyph advances are small integers; as f32 they are exact.
        #[allow(clippy::cast_precision_loss, reason = "small integers")]
        let units = units as f32;
        units * size / self.units_per_em
    }

    /// The text with every character the font cannot show replaced by '?', so no
    /// letter ever contains an empty box (PDF/UA forbids the .notdef glyph).
    fn printable(&self, text: &str) -> String {
        text.chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' => ' ',
                c if self.shaper.glyph_index(c).is_some() => c,
                _ => '?',
            })
            .collect()
    }
}

impl Fonts {
    fn load() -> Result<Fonts, PdfError> {
        Ok(Fonts {
            regular: Face::load("LiberationSans-Regular", REGULAR_TTF)?,
            bold: Face::load("LiberationSans-Bold", BOLD_TTF)?,
        })
    }

    fn face(&self, style: Style) -> &Face {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
        }
    }

    /// Lines of at most `width` points; a word wider than a line is broken where
    /// it must be. Every line but the last ends in the space that separates it
    /// from the next, so text read from the structure keeps its word breaks.
    fn wrap(&self, style: Style, size: f32, width: f32, text: &str) -> Vec<String> {
        let face = self.face(style);
        let text = face.printable(text);
        // Each line, and whether a space (a word break) follows it.
        let mut lines: Vec<(String, bool)> = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if face.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push((std::mem::take(&mut line), true));
            }
            for c in word.chars() {
                line.push(c);
                if line.chars().count() > 1 && face.width(&line, size) > width {
                    line.pop();
                    lines.push((std::mem::take(&mut line), false));
                    line.push(c);
                }
            }
        }
        lines.push((line, false));
        lines
            .into_iter()
            .map(|(mut l, space)| {
                if space {
                    l.push(' ');
                }
                l
            })
            .collect()
    }
}

/// A piece of text at a fixed place: `y` is its baseline, from the top.
#[derive(Debug, Clone)]
struct Run {
    style: Style,
    size: f32,
    color: (u8, u8, u8),
    x: f32,
    y: f32,
    text: String,
}

/// What a page shows besides its tagged text.
#[derive(Debug, Default)]
struct Page {
    /// Indexes into `Letter::runs`, in reading order.
    runs: Vec<usize>,
    /// Hairlines from margin to margin, at these heights.
    rules: Vec<f32>,
}

/// The structure of a letter, as the tag tree will hold it.
#[derive(Debug)]
enum Kind {
    Part,
    Heading(u16, String),
    P,
    L,
    Li,
    Lbl,
    LBody,
}

#[derive(Debug)]
struct Elem {
    kind: Kind,
    children: Vec<Child>,
}

#[derive(Debug)]
enum Child {
    Elem(Elem),
    /// An index into `Letter::runs`.
    Run(usize),
}

impl Elem {
    fn new(kind: Kind) -> Elem {
        Elem {
            kind,
            children: Vec::new(),
        }
    }
}

/// A line to place: its runs (text at an x, with a style), all on one baseline.
#[derive(Debug, Clone)]
struct Line {
    size: f32,
    color: (u8, u8, u8),
    parts: Vec<(Style, f32, String, Target)>,
}

/// Where a run goes in the structure of the block it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// The block's main element (a P, an H1 or H2, or a list item's LBody).
    Main,
    /// A list item's Lbl.
    Label,
}

/// One letter (the original or a copy) laid out on pages, with its structure.
#[derive(Debug)]
struct Letter {
    runs: Vec<Run>,
    pages: Vec<Page>,
    root: Elem,
    /// The H2 headings with their page and height, for the outline.
    headings: Vec<(String, usize, f32)>,
    y: f32,
}

impl Letter {
    fn lay_out(fonts: &Fonts, brief: &Brief, addressee: &[String], copy: bool) -> Letter {
        let mut letter = Letter {
            runs: Vec::new(),
            pages: vec![Page::default()],
            root: Elem::new(Kind::Part),
            headings: Vec::new(),
            y: MARGIN + 16.0,
        };
        letter.head(fonts, brief, addressee, copy);
        for section in &brief.sections {
            letter.gap(10.0);
            let first = section
                .blocks
                .first()
                .map_or(0, |b| start_need(fonts, b, section.blocks.get(1)));
            let heading = vec![Line {
                size: 12.0,
                color: ACCENT,
                parts: vec![(
                    Style::Bold,
                    MARGIN,
                    fonts.bold.printable(&section.heading),
                    Target::Main,
                )],
            }];
            // A heading stays with the first lines under it.
            let heading_height = 12.0 * LEADING / BODY + 2.0;
            if first > 0
                && letter.y + heading_height + (first - 1) as f32 * LEADING > BOTTOM
                && !letter.at_top()
            {
                letter.new_page();
            }
            letter
                .headings
                .push((section.heading.clone(), letter.pages.len() - 1, letter.y));
            let elem = letter.place(
                Elem::new(Kind::Heading(2, section.heading.clone())),
                &heading,
            );
            letter.root.children.push(Child::Elem(elem));
            letter.gap(2.0);
            letter.blocks(fonts, &section.blocks);
        }
        letter.closing(fonts, brief);
        letter
    }

    /// The page being filled (there always is one).
    fn on_page(&mut self, change: impl FnOnce(&mut Page)) {
        if let Some(page) = self.pages.last_mut() {
            change(page);
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = MARGIN + BODY;
    }

    fn at_top(&self) -> bool {
        self.y <= MARGIN + BODY
    }

    /// Vertical space, dropped at the top of a page.
    fn gap(&mut self, height: f32) {
        if !self.at_top() {
            self.y += height;
        }
    }

    /// How many more body lines fit on this page.
    fn room(&self) -> usize {
        if self.y > BOTTOM {
            return 0;
        }
        let lines = ((BOTTOM - self.y) / LEADING).floor();
        // At most a page of lines: the cast cannot overflow.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "bounded"
        )]
        let lines = lines as usize;
        lines + 1
    }

    /// Starts a new page unless `lines` more lines fit on this one.
    fn keep(&mut self, lines: usize) {
        if lines > self.room() && !self.at_top() {
            self.new_page();
        }
    }

    /// Places `lines` from the current height down, as children of `elem`.
    fn place(&mut self, mut elem: Elem, lines: &[Line]) -> Elem {
        for line in lines {
            for (style, x, text, _target) in &line.parts {
                let index = self.runs.len();
                self.runs.push(Run {
                    style: *style,
                    size: line.size,
                    color: line.color,
                    x: *x,
                    y: self.y,
                    text: text.clone(),
                });
                self.on_page(|p| p.runs.push(index));
                elem.children.push(Child::Run(index));
            }
            self.y += line.size.max(BODY) * LEADING / BODY;
        }
        elem
    }

    /// Places a paragraph-like block as one element, with its page-break rule: a
    /// block that does not fit keeps at least two lines on this page and carries at
    /// least two to the next; otherwise it moves whole. `with_next` more lines must
    /// follow it on the page (a list's introduction stays with its first item).
    fn flowed(&mut self, kind: Kind, lines: &[Line], with_next: usize) -> Elem {
        let mut elem = Elem::new(kind);
        let total = lines.len();
        if with_next > 0
            && total <= self.room()
            && total + with_next > self.room()
            && !self.at_top()
        {
            self.new_page();
        }
        let mut start = 0;
        while start < total {
            let rest = total - start;
            let room = self.room();
            let here = if rest <= room {
                rest
            } else if self.at_top() {
                // Longer than a page: fill it, leaving two for the next.
                room.min(rest.saturating_sub(2)).max(1)
            } else {
                let here = room.min(rest.saturating_sub(2));
                if here < 2 {
                    self.new_page();
                    continue;
                }
                here
            };
            elem = self.place(elem, lines.get(start..start + here).unwrap_or_default());
            start += here;
            if start < total {
                self.new_page();
            }
        }
        elem
    }

    fn head(&mut self, fonts: &Fonts, brief: &Brief, addressee: &[String], copy: bool) {
        let sender = Line {
            size: 16.0,
            color: ACCENT,
            parts: vec![(
                Style::Bold,
                MARGIN,
                fonts.bold.printable(&brief.sender),
                Target::Main,
            )],
        };
        let top = self.y;
        let elem = self.place(Elem::new(Kind::P), &[sender]);
        self.root.children.push(Child::Elem(elem));
        // The sender's address, phone and e-mail, top right, small.
        let below_sender = self.y;
        self.y = top - 6.0;
        let details: Vec<Line> = brief
            .sender_details
            .iter()
            .map(|d| small_line(fonts, DETAILS_X, d))
            .collect();
        let mut elem = Elem::new(Kind::P);
        for (i, line) in details.iter().enumerate() {
            elem = self.place(elem, std::slice::from_ref(line));
            self.y -= LEADING - 12.0;
            if i + 1 < details.len() {
                // Word break between the lines when read aloud.
                if let Some(Child::Run(run)) = elem.children.last()
                    && let Some(r) = self.runs.get_mut(*run)
                {
                    r.text.push(' ');
                }
            }
        }
        self.root.children.push(Child::Elem(elem));
        let rule = self.y.max(below_sender) + 2.0;
        self.on_page(|p| p.rules.push(rule));

        self.y = ADDRESS_TOP;
        if copy {
            let marker = Line {
                size: BODY,
                color: ACCENT,
                parts: vec![(Style::Bold, MARGIN, "Kopie".to_owned(), Target::Main)],
            };
            let elem = self.place(Elem::new(Kind::P), &[marker]);
            self.root.children.push(Child::Elem(elem));
        }
        let address: Vec<Line> = addressee
            .iter()
            .enumerate()
            .flat_map(|(i, l)| {
                let mut lines = fonts.wrap(Style::Regular, BODY, TEXT_WIDTH / 2.0, l);
                if i + 1 < addressee.len()
                    && let Some(last) = lines.last_mut()
                {
                    last.push(' ');
                }
                lines
            })
            .map(|text| body_line(MARGIN, Style::Regular, text))
            .collect();
        let elem = self.place(Elem::new(Kind::P), &address);
        self.root.children.push(Child::Elem(elem));

        self.y += 3.0 * LEADING;
        let lines = wrapped(
            fonts,
            Style::Regular,
            MARGIN,
            TEXT_WIDTH,
            &brief.place_and_date,
        );
        let elem = self.place(Elem::new(Kind::P), &lines);
        self.root.children.push(Child::Elem(elem));
        let kenmerk = field_lines(fonts, "Kenmerk", &brief.kenmerk);
        let elem = self.place(Elem::new(Kind::P), &kenmerk);
        self.root.children.push(Child::Elem(elem));
        self.y += LEADING;
        let subject: Vec<Line> = fonts
            .wrap(Style::Bold, 14.0, TEXT_WIDTH, &brief.subject)
            .into_iter()
            .map(|text| Line {
                size: 14.0,
                color: ACCENT,
                parts: vec![(Style::Bold, MARGIN, text, Target::Main)],
            })
            .collect();
        let elem = self.place(Elem::new(Kind::Heading(1, brief.subject.clone())), &subject);
        self.root.children.push(Child::Elem(elem));
        self.y += 6.0;
        let lines = wrapped(fonts, Style::Regular, MARGIN, TEXT_WIDTH, &brief.salutation);
        let elem = self.place(Elem::new(Kind::P), &lines);
        self.root.children.push(Child::Elem(elem));
    }

    /// The blocks of a section: paragraphs and fields as P, runs of items as one L.
    fn blocks(&mut self, fonts: &Fonts, blocks: &[Block]) {
        let mut list: Option<Elem> = None;
        for (i, block) in blocks.iter().enumerate() {
            let next = blocks.get(i + 1);
            let lines = block_lines(fonts, block);
            let with_next = with_next(fonts, block, next);
            match block {
                Block::Item(_) => {
                    let label: Vec<Line> = lines
                        .iter()
                        .map(|l| Line {
                            size: l.size,
                            color: l.color,
                            parts: l
                                .parts
                                .iter()
                                .filter(|p| p.3 == Target::Label)
                                .cloned()
                                .collect(),
                        })
                        .collect();
                    let body: Vec<Line> = lines
                        .iter()
                        .map(|l| Line {
                            size: l.size,
                            color: l.color,
                            parts: l
                                .parts
                                .iter()
                                .filter(|p| p.3 == Target::Main)
                                .cloned()
                                .collect(),
                        })
                        .collect();
                    // The label is drawn on the item's first line; lay the body out
                    // first to know where that line lands.
                    let runs_before = self.runs.len();
                    let lbody = self.flowed(Kind::LBody, &body, 0);
                    let first_run = self.runs.get(runs_before).cloned();
                    let mut lbl = Elem::new(Kind::Lbl);
                    if let (Some(first), Some(label)) =
                        (first_run, label.first().and_then(|l| l.parts.first()))
                    {
                        let index = self.runs.len();
                        self.runs.push(Run {
                            style: label.0,
                            size: first.size,
                            color: INK,
                            x: label.1,
                            y: first.y,
                            text: label.2.clone(),
                        });
                        // The page the item's first line is on.
                        let page = self
                            .pages
                            .iter()
                            .rposition(|p| p.runs.contains(&runs_before))
                            .unwrap_or(0);
                        if let Some(p) = self.pages.get_mut(page) {
                            p.runs.push(index);
                        }
                        lbl.children.push(Child::Run(index));
                    }
                    let mut li = Elem::new(Kind::Li);
                    li.children.push(Child::Elem(lbl));
                    li.children.push(Child::Elem(lbody));
                    list.get_or_insert_with(|| Elem::new(Kind::L))
                        .children
                        .push(Child::Elem(li));
                    self.gap(if matches!(next, Some(Block::Item(_))) {
                        1.0
                    } else {
                        6.0
                    });
                    if !matches!(next, Some(Block::Item(_)))
                        && let Some(l) = list.take()
                    {
                        self.root.children.push(Child::Elem(l));
                    }
                }
                Block::Paragraph(_) | Block::Field { .. } => {
                    let elem = self.flowed(Kind::P, &lines, with_next);
                    self.root.children.push(Child::Elem(elem));
                    let same = matches!(
                        (block, next),
                        (Block::Field { .. }, Some(Block::Field { .. }))
                    );
                    self.gap(if same { 1.0 } else { 6.0 });
                }
            }
        }
        if let Some(l) = list.take() {
            self.root.children.push(Child::Elem(l));
        }
    }

    /// The greeting, room for a signature, and who signs — kept together.
    fn closing(&mut self, fonts: &Fonts, brief: &Brief) {
        self.gap(LEADING);
        let closing: Vec<Vec<Line>> = brief
            .closing
            .iter()
            .map(|l| wrapped(fonts, Style::Regular, MARGIN, TEXT_WIDTH, l))
            .collect();
        let signatory = wrapped_all(fonts, &brief.signatory);
        let needed = closing.iter().map(Vec::len).sum::<usize>() + 3 + signatory.len();
        self.keep(needed);
        for lines in &closing {
            let elem = self.place(Elem::new(Kind::P), lines);
            self.root.children.push(Child::Elem(elem));
        }
        self.y += 2.5 * LEADING;
        let elem = self.place(Elem::new(Kind::P), &signatory);
        self.root.children.push(Child::Elem(elem));
    }
}

fn body_line(x: f32, style: Style, text: String) -> Line {
    Line {
        size: BODY,
        color: INK,
        parts: vec![(style, x, text, Target::Main)],
    }
}

fn small_line(fonts: &Fonts, x: f32, text: &str) -> Line {
    Line {
        size: SMALL,
        color: MUTED,
        parts: vec![(
            Style::Regular,
            x,
            fonts.regular.printable(text),
            Target::Main,
        )],
    }
}

fn wrapped(fonts: &Fonts, style: Style, x: f32, width: f32, text: &str) -> Vec<Line> {
    fonts
        .wrap(style, BODY, width, text)
        .into_iter()
        .map(|t| body_line(x, style, t))
        .collect()
}

/// Several short texts as the lines of one paragraph, with word breaks between.
fn wrapped_all(fonts: &Fonts, texts: &[String]) -> Vec<Line> {
    let count = texts.len();
    texts
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            let mut lines = wrapped(fonts, Style::Regular, MARGIN, TEXT_WIDTH, t);
            if i + 1 < count
                && let Some(part) = lines.last_mut().and_then(|l| l.parts.last_mut())
            {
                part.2.push(' ');
            }
            lines
        })
        .collect()
}

/// A bold label with its value beside it, the value wrapped under itself.
fn field_lines(fonts: &Fonts, label: &str, value: &str) -> Vec<Line> {
    let x = MARGIN + FIELD_INDENT;
    fonts
        .wrap(Style::Regular, BODY, TEXT_WIDTH - FIELD_INDENT, value)
        .into_iter()
        .enumerate()
        .map(|(i, words)| {
            let mut parts = Vec::new();
            if i == 0 {
                let label = format!("{}: ", fonts.bold.printable(label));
                parts.push((Style::Bold, MARGIN, label, Target::Main));
            }
            parts.push((Style::Regular, x, words, Target::Main));
            Line {
                size: BODY,
                color: INK,
                parts,
            }
        })
        .collect()
}

/// How many lines of the block after `block` must share its page: a paragraph that
/// introduces what follows (it ends in ':') stays with the start of it.
fn with_next(fonts: &Fonts, block: &Block, next: Option<&Block>) -> usize {
    match (block, next) {
        (Block::Paragraph(text), Some(next)) if text.trim_end().ends_with(':') => {
            start_need(fonts, next, None)
        }
        _ => 0,
    }
}

/// How many lines must fit for `block` to start on a page: all of a block of up to
/// three lines (it cannot leave two behind and take two along), two of a longer one,
/// plus what it must keep with the block after it.
fn start_need(fonts: &Fonts, block: &Block, next: Option<&Block>) -> usize {
    let lines = block_lines(fonts, block).len();
    if lines >= 4 {
        2
    } else {
        lines + with_next(fonts, block, next)
    }
}

/// A block's lines; a list item's bullet is its first line's `Label` part.
fn block_lines(fonts: &Fonts, block: &Block) -> Vec<Line> {
    match block {
        Block::Paragraph(text) => wrapped(fonts, Style::Regular, MARGIN, TEXT_WIDTH, text),
        Block::Field { label, value } => field_lines(fonts, label, value),
        Block::Item(text) => fonts
            .wrap(Style::Regular, BODY, TEXT_WIDTH - ITEM_INDENT, text)
            .into_iter()
            .enumerate()
            .map(|(i, words)| {
                let mut parts = vec![(Style::Regular, MARGIN + ITEM_INDENT, words, Target::Main)];
                if i == 0 {
                    parts.push((Style::Regular, MARGIN + 3.0, "• ".to_owned(), Target::Label));
                }
                Line {
                    size: BODY,
                    color: INK,
                    parts,
                }
            })
            .collect(),
    }
}

fn color((r, g, b): (u8, u8, u8)) -> rgb::Color {
    rgb::Color::new(r, g, b)
}

fn krilla_error(e: impl std::fmt::Debug) -> PdfError {
    PdfError::Krilla(format!("{e:?}"))
}

/// Writes the laid-out letters into one tagged PDF/UA-1 document.
fn write(fonts: &Fonts, brief: &Brief, letters: Vec<Letter>) -> Result<Vec<u8>, PdfError> {
    let configuration = ConfigurationBuilder::new()
        .set_validator(Validator::Ua(Accessibility::UA1))
        .finish()
        .map_err(krilla_error)?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    let title = format!("{}, kenmerk {}", brief.subject, brief.kenmerk);
    document.set_metadata(
        Metadata::new()
            .title(title)
            .language(LANGUAGE.to_owned())
            .authors(vec![brief.sender.clone()])
            .creator("Jeugdroute".to_owned()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| PdfError::Krilla("A4 page size".into()))?;
    let mut tree = TagTree::new().with_lang(Some(LANGUAGE.to_owned()));
    let mut outline = Outline::new();
    let mut first_page = 0;
    for (number, letter) in letters.into_iter().enumerate() {
        let count = letter.pages.len();
        let mut ids: Vec<Option<krilla::tagging::Identifier>> = vec![None; letter.runs.len()];
        for (i, page) in letter.pages.iter().enumerate() {
            let mut p = document.start_page_with(settings.clone());
            let mut surface = p.surface();
            for &y in &page.rules {
                rule(&mut surface, y);
            }
            for &index in &page.runs {
                if let Some(run) = letter.runs.get(index) {
                    let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
                    text(&mut surface, fonts, run);
                    surface.end_tagged();
                    if let Some(slot) = ids.get_mut(index) {
                        *slot = Some(id);
                    }
                }
            }
            if count > 1 {
                let footer = format!("Pagina {} van {count}", i + 1);
                let width = fonts.regular.width(&footer, SMALL);
                surface.start_tagged(ContentTag::Artifact(Artifact::new(
                    ArtifactType::Footer,
                    None,
                )));
                text(
                    &mut surface,
                    fonts,
                    &Run {
                        style: Style::Regular,
                        size: SMALL,
                        color: MUTED,
                        x: PAGE_WIDTH - MARGIN - width,
                        y: BOTTOM + 10.0 * MM,
                        text: footer,
                    },
                );
                surface.end_tagged();
            }
            surface.finish();
            p.finish();
        }
        let heading_prefix = if number == 0 { "" } else { "Kopie: " };
        for (heading, page, y) in &letter.headings {
            outline.push_child(OutlineNode::new(
                format!("{heading_prefix}{heading}"),
                XyzDestination::new(first_page + page, Point::from_xy(MARGIN, y - 14.0)),
            ));
        }
        first_page += count;
        tree.push(group(letter.root, &mut ids));
    }
    document.set_outline(outline);
    document.set_tag_tree(tree);
    document.finish().map_err(krilla_error)
}

/// The structure element with its children, each run as its marked content.
fn group(elem: Elem, ids: &mut [Option<krilla::tagging::Identifier>]) -> Node {
    let tag: TagKind = match elem.kind {
        Kind::Part => Tag::Part.into(),
        Kind::Heading(level, title) => Tag::Hn(
            NonZeroU16::new(level).unwrap_or(NonZeroU16::MIN),
            Some(title),
        )
        .into(),
        Kind::P => Tag::P.into(),
        Kind::L => Tag::L(ListNumbering::Disc).into(),
        Kind::Li => Tag::LI.into(),
        Kind::Lbl => Tag::Lbl.into(),
        Kind::LBody => Tag::LBody.into(),
    };
    let mut g = TagGroup::new(tag);
    for child in elem.children {
        match child {
            Child::Elem(e) => g.push(group(e, ids)),
            Child::Run(index) => {
                if let Some(id) = ids.get_mut(index).and_then(Option::take) {
                    g.push(id);
                }
            }
        }
    }
    Node::Group(g)
}

fn text(surface: &mut Surface<'_>, fonts: &Fonts, run: &Run) {
    surface.set_fill(Some(Fill {
        paint: color(run.color).into(),
        ..Fill::default()
    }));
    surface.draw_text(
        Point::from_xy(run.x, run.y),
        fonts.face(run.style).font.clone(),
        run.size,
        &run.text,
        false,
        TextDirection::Auto,
    );
}

/// A hairline under the letterhead: layout, not content.
fn rule(surface: &mut Surface<'_>, y: f32) {
    let mut path = PathBuilder::new();
    path.move_to(MARGIN, y);
    path.line_to(PAGE_WIDTH - MARGIN, y);
    let Some(path) = path.finish() else {
        return;
    };
    surface.start_tagged(ContentTag::Artifact(Artifact::new(
        ArtifactType::Layout,
        None,
    )));
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: color(ACCENT).into(),
        width: 0.6,
        ..Stroke::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
    surface.end_tagged();
}

#[cfg(test)]
mod tests {
    use super::*;

    use jeugdroute_domain::Section;

    /// A letter whose first paragraph has `n` words, so that page breaks fall at
    /// every kind of place in what follows.
    fn long_brief(n: usize) -> Brief {
        let words = |count: usize| vec!["woord"; count].join(" ");
        let section = |i: usize| Section {
            heading: format!("Onderdeel {i}"),
            blocks: vec![
                Block::Paragraph(words(10 + 7 * i)),
                Block::Paragraph(format!("{}:", words(3 + i))),
                Block::Item(words(12)),
                Block::Item(words(25)),
                Block::Field {
                    label: "Periode".into(),
                    value: words(4),
                },
                Block::Paragraph(words(150)),
            ],
        };
        Brief {
            sender: "Gemeente Baarn".into(),
            sender_details: vec!["Laanstraat 40".into(), "3743 BD  Baarn".into()],
            addressee: vec!["Sam Jansen".into(), "Kerkstraat 1".into()],
            copy_to: None,
            place_and_date: "Baarn, 1 maart 2027".into(),
            kenmerk: "JR-1".into(),
            subject: "Besluit over jeugdhulp".into(),
            salutation: "Beste Sam Jansen,".into(),
            sections: std::iter::once(Section {
                heading: "Begin".into(),
                blocks: vec![Block::Paragraph(words(n))],
            })
            .chain((1..=6).map(section))
            .collect(),
            closing: vec![
                "Met vriendelijke groet,".into(),
                "namens het college".into(),
            ],
            signatory: vec!["S. Visser".into(), "teamleider".into()],
        }
    }

    fn first_run(elem: &Elem) -> Option<usize> {
        elem.children.iter().find_map(|c| match c {
            Child::Run(r) => Some(*r),
            Child::Elem(e) => first_run(e),
        })
    }

    /// Every P and LBody: its lines, as (page, baseline), in order.
    fn paragraphs(letter: &Letter, elem: &Elem, out: &mut Vec<Vec<(usize, i64)>>) {
        if matches!(elem.kind, Kind::P | Kind::LBody) {
            let mut lines: Vec<(usize, i64)> = Vec::new();
            for child in &elem.children {
                if let Child::Run(r) = child {
                    let page = letter
                        .pages
                        .iter()
                        .position(|p| p.runs.contains(r))
                        .unwrap();
                    #[allow(clippy::cast_possible_truncation, reason = "test")]
                    let y = (letter.runs[*r].y * 10.0) as i64;
                    if !lines.contains(&(page, y)) {
                        lines.push((page, y));
                    }
                }
            }
            out.push(lines);
        }
        for child in &elem.children {
            if let Child::Elem(e) = child {
                paragraphs(letter, e, out);
            }
        }
    }

    #[test]
    fn no_single_line_is_left_at_a_page_end_or_top_and_headings_stay_with_their_text() {
        let fonts = Fonts::load().unwrap();
        let mut breaks = 0;
        for n in (0..300).step_by(17) {
            let brief = long_brief(n);
            let letter = Letter::lay_out(&fonts, &brief, &brief.addressee, false);
            assert!(letter.pages.len() >= 2);
            let page_of = |r: usize| letter.pages.iter().position(|p| p.runs.contains(&r));
            let mut all = Vec::new();
            paragraphs(&letter, &letter.root, &mut all);
            for lines in &all {
                for page in lines.iter().map(|(p, _)| *p) {
                    let here = lines.iter().filter(|(p, _)| *p == page).count();
                    if here != lines.len() {
                        breaks += 1;
                        assert!(
                            here >= 2,
                            "n={n}: a paragraph has {here} line on page {page}"
                        );
                    }
                }
            }
            let children = &letter.root.children;
            for (i, child) in children.iter().enumerate() {
                let Child::Elem(h) = child else { continue };
                if !matches!(h.kind, Kind::Heading(2, _)) {
                    continue;
                }
                let Some(Child::Elem(next)) = children.get(i + 1) else {
                    panic!("a heading without text")
                };
                assert_eq!(
                    page_of(first_run(h).unwrap()),
                    page_of(first_run(next).unwrap()),
                    "n={n}: heading alone at a page end"
                );
            }
            // The closing and the signatory share a page.
            let tail: Vec<usize> = children
                .iter()
                .rev()
                .take(3)
                .filter_map(|c| match c {
                    Child::Elem(e) => first_run(e).and_then(page_of),
                    Child::Run(_) => None,
                })
                .collect();
            assert!(
                tail.windows(2).all(|w| w[0] == w[1]),
                "n={n}: closing split"
            );
        }
        assert!(
            breaks > 10,
            "the test must see paragraphs broken over pages: {breaks}"
        );
    }

    #[test]
    fn wrapping_fills_lines_up_to_the_width_and_breaks_overlong_words() {
        let fonts = Fonts::load().unwrap();
        let text = "een twee drie vier vijf zes zeven acht negen tien";
        let lines = fonts.wrap(Style::Regular, BODY, 100.0, text);
        assert!(lines.len() > 2);
        assert!(
            lines
                .iter()
                .all(|l| fonts.regular.width(l.trim_end(), BODY) <= 100.0)
        );
        assert_eq!(lines.concat(), text, "the word breaks stay as spaces");
        let long = fonts.wrap(Style::Regular, BODY, 50.0, &"x".repeat(40));
        assert!(long.len() > 1);
        assert_eq!(long.concat(), "x".repeat(40));
        assert_eq!(
            fonts.wrap(Style::Regular, BODY, 50.0, ""),
            vec![String::new()]
        );
    }

    #[test]
    fn widths_are_measured_from_the_font_and_missing_glyphs_become_question_marks() {
        let fonts = Fonts::load().unwrap();
        // Liberation Sans has Helvetica's metrics: "Hallo" is 2278 thousandths.
        let hallo = fonts.regular.width("Hallo", 1000.0);
        assert!((hallo - 2278.0).abs() < 2.0, "{hallo}");
        assert!(fonts.bold.width("Hallo", 1000.0) > hallo);
        assert_eq!(
            fonts.regular.printable("Naïef, één, café’s, 字."),
            "Naïef, één, café’s, ?."
        );
    }
}
