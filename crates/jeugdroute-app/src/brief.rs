//! A letter's content ([`Brief`], made by the domain) laid out as a PDF: A4, 25 mm
//! margins, the standard Helvetica fonts (nothing embedded), words wrapped by their
//! measured width, new pages when the text reaches the bottom margin, and
//! "Pagina 1 van 2" under every page of a letter longer than one page.
//!
//! The fonts use WinAnsiEncoding, so text is written as Windows-1252 bytes; a
//! character outside it becomes '?'.

use jeugdroute_domain::{Block, Brief};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const MM: f32 = 72.0 / 25.4;
const PAGE_WIDTH: f32 = 210.0 * MM;
const PAGE_HEIGHT: f32 = 297.0 * MM;
const MARGIN: f32 = 25.0 * MM;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Where the address block starts, measured from the top: inside the window of a
/// Dutch window envelope.
const ADDRESS_TOP: f32 = 50.0 * MM;
const BODY: f32 = 10.5;
const LEADING: f32 = 15.0;
/// Indent of a field's value, and of a list item's text.
const FIELD_INDENT: f32 = 80.0;
const ITEM_INDENT: f32 = 14.0;

const INK: [f32; 3] = [0.1, 0.1, 0.1];
const ACCENT: [f32; 3] = [0.09, 0.25, 0.42];
const MUTED: [f32; 3] = [0.4, 0.4, 0.4];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
}

/// One piece of text at a fixed place on a page.
#[derive(Debug)]
struct Run {
    font: Font,
    size: f32,
    color: [f32; 3],
    x: f32,
    y: f32,
    text: Vec<u8>,
}

/// A horizontal hairline from the left to the right margin.
#[derive(Debug, Default)]
struct Page {
    runs: Vec<Run>,
    rules: Vec<f32>,
}

/// Pages filled from the top: the full ones, the current one, and the baseline
/// of its next line.
#[derive(Debug)]
struct Layout {
    full: Vec<Page>,
    page: Page,
    y: f32,
}

/// The letter as the bytes of a PDF file.
pub fn pdf(brief: &Brief) -> Vec<u8> {
    let mut layout = Layout::new();
    layout.head(brief);
    for section in &brief.sections {
        layout.heading(&section.heading);
        for (i, block) in section.blocks.iter().enumerate() {
            layout.block(block);
            let next = section.blocks.get(i + 1);
            layout.gap(if same_kind(block, next) { 1.0 } else { 6.0 });
        }
    }
    layout.closing(&brief.closing);
    write(brief, layout.finish())
}

fn same_kind(block: &Block, next: Option<&Block>) -> bool {
    matches!(
        (block, next),
        (Block::Item(_), Some(Block::Item(_))) | (Block::Field { .. }, Some(Block::Field { .. }))
    )
}

impl Layout {
    fn new() -> Layout {
        Layout {
            full: Vec::new(),
            page: Page::default(),
            y: PAGE_HEIGHT - MARGIN - BODY,
        }
    }

    fn finish(mut self) -> Vec<Page> {
        self.full.push(self.page);
        self.full
    }

    fn new_page(&mut self) {
        self.full.push(std::mem::take(&mut self.page));
        self.y = PAGE_HEIGHT - MARGIN - BODY;
    }

    /// Vertical space, dropped at the top of a page.
    fn gap(&mut self, height: f32) {
        if self.y < PAGE_HEIGHT - MARGIN - BODY {
            self.y -= height;
        }
    }

    /// Starts a new page unless `lines` more lines fit on this one.
    fn keep(&mut self, lines: f32) {
        if self.y - (lines - 1.0) * LEADING < MARGIN {
            self.new_page();
        }
    }

    /// One line made of runs `(font, x, text)` on a shared baseline.
    fn line(&mut self, size: f32, color: [f32; 3], parts: Vec<(Font, f32, Vec<u8>)>) {
        self.keep(1.0);
        let y = self.y;
        for (font, x, text) in parts {
            let run = Run {
                font,
                size,
                color,
                x,
                y,
                text,
            };
            self.page.runs.push(run);
        }
        self.y -= size.max(BODY) * LEADING / BODY;
    }

    /// Text wrapped into `width`, starting at `x`.
    fn wrapped(&mut self, font: Font, x: f32, width: f32, text: &str) {
        for words in wrap(font, BODY, width, text) {
            self.line(BODY, INK, vec![(font, x, words)]);
        }
    }

    fn head(&mut self, brief: &Brief) {
        let sender = winansi(&brief.sender);
        self.line(16.0, ACCENT, vec![(Font::Bold, MARGIN, sender)]);
        let rule = self.y + 6.0;
        self.page.rules.push(rule);
        self.y = PAGE_HEIGHT - ADDRESS_TOP - BODY;
        for line in &brief.addressee {
            self.line(BODY, INK, vec![(Font::Regular, MARGIN, winansi(line))]);
        }
        self.gap(3.0 * LEADING);
        self.wrapped(Font::Regular, MARGIN, TEXT_WIDTH, &brief.place_and_date);
        self.gap(4.0);
        self.field("Kenmerk", &brief.kenmerk);
        self.field("Onderwerp", &brief.subject);
        self.gap(2.0 * LEADING);
        self.wrapped(Font::Regular, MARGIN, TEXT_WIDTH, &brief.salutation);
    }

    fn heading(&mut self, heading: &str) {
        self.gap(10.0);
        self.keep(3.0);
        let text = winansi(heading);
        self.line(11.0, ACCENT, vec![(Font::Bold, MARGIN, text)]);
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph(text) => self.wrapped(Font::Regular, MARGIN, TEXT_WIDTH, text),
            Block::Item(text) => self.item(text),
            Block::Field { label, value } => self.field(label, value),
        }
    }

    /// A bullet with its text hanging beside it.
    fn item(&mut self, text: &str) {
        let x = MARGIN + ITEM_INDENT;
        for (i, words) in wrap(Font::Regular, BODY, TEXT_WIDTH - ITEM_INDENT, text)
            .into_iter()
            .enumerate()
        {
            let mut parts = vec![(Font::Regular, x, words)];
            if i == 0 {
                parts.push((Font::Regular, MARGIN + 3.0, winansi("•")));
            }
            self.line(BODY, INK, parts);
        }
    }

    /// A bold label with its value beside it.
    fn field(&mut self, label: &str, value: &str) {
        let x = MARGIN + FIELD_INDENT;
        for (i, words) in wrap(Font::Regular, BODY, TEXT_WIDTH - FIELD_INDENT, value)
            .into_iter()
            .enumerate()
        {
            let mut parts = vec![(Font::Regular, x, words)];
            if i == 0 {
                parts.push((Font::Bold, MARGIN, winansi(label)));
            }
            self.line(BODY, INK, parts);
        }
    }

    /// The greeting, room for a signature, and who signs.
    fn closing(&mut self, closing: &[String]) {
        self.gap(LEADING);
        self.keep(closing.len() as f32 + 2.0);
        for (i, line) in closing.iter().enumerate() {
            if i == 1 {
                self.gap(LEADING);
            }
            self.wrapped(Font::Regular, MARGIN, TEXT_WIDTH, line);
        }
    }
}

/// Lines of at most `width` points; a word wider than a line gets a line of its
/// own, broken where it must be.
fn wrap(font: Font, size: f32, width: f32, text: &str) -> Vec<Vec<u8>> {
    let space = measure(font, size, b" ");
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    for word in text.split_whitespace().map(winansi) {
        let needed = measure(font, size, &line) + space + measure(font, size, &word);
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(b' ');
        }
        for byte in word {
            if !line.is_empty() && measure(font, size, &line) + glyph(font, byte, size) > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(byte);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn measure(font: Font, size: f32, text: &[u8]) -> f32 {
    text.iter().map(|&b| glyph(font, b, size)).sum()
}

fn glyph(font: Font, byte: u8, size: f32) -> f32 {
    f32::from(width(font, byte)) * size / 1000.0
}

/// The text as Windows-1252 bytes (WinAnsiEncoding); anything else becomes '?'.
fn winansi(text: &str) -> Vec<u8> {
    text.chars().map(winansi_byte).collect()
}

fn winansi_byte(c: char) -> u8 {
    match c {
        ' '..='~' | '\u{A0}'..='\u{FF}' => u8::try_from(u32::from(c)).unwrap_or(b'?'),
        '\t' | '\n' | '\r' => b' ',
        '€' => 0x80,
        '‚' => 0x82,
        '„' => 0x84,
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        'Š' => 0x8A,
        'š' => 0x9A,
        'Ž' => 0x8E,
        'ž' => 0x9E,
        'Œ' => 0x8C,
        'œ' => 0x9C,
        'Ÿ' => 0x9F,
        _ => b'?',
    }
}

/// Helvetica advance widths (thousandths of the font size) of printable ASCII,
/// from Adobe's Core 14 metrics.
#[rustfmt::skip]
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' '…'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // '0'…'?'
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // '@'…'O'
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 'P'…'_'
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // '`'…'o'
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 'p'…'~'
];

/// Helvetica-Bold, as [`REGULAR`].
#[rustfmt::skip]
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// The width of a Windows-1252 byte: ASCII from the tables, an accented letter as
/// its base letter, the punctuation Dutch text uses, 556 for anything else.
fn width(font: Font, byte: u8) -> u16 {
    let (table, bold) = match font {
        Font::Regular => (&REGULAR, false),
        Font::Bold => (&BOLD, true),
    };
    let ascii = |c: u8| {
        c.checked_sub(b' ')
            .and_then(|i| table.get(usize::from(i)))
            .copied()
            .unwrap_or(556)
    };
    match byte {
        b' '..=b'~' => ascii(byte),
        0xA0 => 278,
        0x85 | 0x97 => 1000,
        0x95 => 350,
        0x82 | 0x91 | 0x92 if bold => 278,
        0x82 | 0x91 | 0x92 => 222,
        0x84 | 0x93 | 0x94 if bold => 500,
        0x84 | 0x93 | 0x94 => 333,
        0xC0..=0xC5 => ascii(b'A'),
        0xC7 => ascii(b'C'),
        0xC8..=0xCB => ascii(b'E'),
        0xCC..=0xCF | 0xEC..=0xEF => 278,
        0xD1 => ascii(b'N'),
        0xD2..=0xD6 => ascii(b'O'),
        0xD9..=0xDC => ascii(b'U'),
        0xE0..=0xE5 => ascii(b'a'),
        0xE7 => ascii(b'c'),
        0xE8..=0xEB => ascii(b'e'),
        0xF1 => ascii(b'n'),
        0xF2..=0xF6 => ascii(b'o'),
        0xF9..=0xFC => ascii(b'u'),
        0xFD | 0xFF => ascii(b'y'),
        _ => 556,
    }
}

const REGULAR_NAME: Name<'static> = Name(b"F1");
const BOLD_NAME: Name<'static> = Name(b"F2");

/// Writes the laid-out pages, with page numbers when there is more than one.
fn write(brief: &Brief, pages: Vec<Page>) -> Vec<u8> {
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let info = Ref::new(3);
    let regular = Ref::new(4);
    let bold = Ref::new(5);
    let count = i32::try_from(pages.len()).unwrap_or(i32::MAX);
    let page_ids: Vec<(Ref, Ref)> = (0..count)
        .map(|i| (Ref::new(6 + 2 * i), Ref::new(7 + 2 * i)))
        .collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree).lang(TextStr("nl-NL"));
    pdf.pages(tree)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(count);
    pdf.document_info(info)
        .title(TextStr(&format!(
            "{}, kenmerk {}",
            brief.subject, brief.kenmerk
        )))
        .author(TextStr(&brief.sender))
        .creator(TextStr("Jeugdroute"));
    for (id, base) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
        pdf.type1_font(id)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for (number, (page, (page_id, content_id))) in pages.into_iter().zip(page_ids).enumerate() {
        let mut writer = pdf.page(page_id);
        writer
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(tree)
            .contents(content_id);
        writer
            .resources()
            .fonts()
            .pair(REGULAR_NAME, regular)
            .pair(BOLD_NAME, bold);
        writer.finish();
        let footer = (count > 1).then(|| format!("Pagina {} van {count}", number + 1));
        pdf.stream(content_id, &content(&page, footer.as_deref()));
    }
    pdf.finish()
}

/// The drawing operators of one page.
fn content(page: &Page, footer: Option<&str>) -> Vec<u8> {
    let mut content = Content::new();
    for &y in &page.rules {
        content
            .set_stroke_rgb(ACCENT[0], ACCENT[1], ACCENT[2])
            .set_line_width(0.6)
            .move_to(MARGIN, y)
            .line_to(PAGE_WIDTH - MARGIN, y)
            .stroke();
    }
    for run in &page.runs {
        show(&mut content, run);
    }
    if let Some(footer) = footer {
        let text = winansi(footer);
        let x = PAGE_WIDTH - MARGIN - measure(Font::Regular, 8.5, &text);
        let y = MARGIN - 10.0 * MM;
        show(
            &mut content,
            &Run {
                font: Font::Regular,
                size: 8.5,
                color: MUTED,
                x,
                y,
                text,
            },
        );
    }
    content.finish().to_vec()
}

fn show(content: &mut Content, run: &Run) {
    let font = match run.font {
        Font::Regular => REGULAR_NAME,
        Font::Bold => BOLD_NAME,
    };
    let [r, g, b] = run.color;
    content
        .begin_text()
        .set_fill_rgb(r, g, b)
        .set_font(font, run.size)
        .next_line(run.x, run.y)
        .show(Str(&run.text))
        .end_text();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_letters_map_to_windows_1252() {
        assert_eq!(winansi("beëindigd"), b"be\xEBindigd");
        assert_eq!(winansi("café’s – €5"), b"caf\xE9\x92s \x96 \x805");
        assert_eq!(winansi("naïef ☺ ł"), b"na\xEFef ? ?");
    }

    #[test]
    fn widths_follow_helvetica() {
        assert_eq!(measure(Font::Regular, 1000.0, b"Hallo"), 2278.0);
        assert_eq!(measure(Font::Bold, 1000.0, b"Hallo"), 2445.0);
        assert_eq!(width(Font::Regular, 0xEB), width(Font::Regular, b'e'));
        assert_eq!(width(Font::Regular, 0xEF), 278);
        assert_eq!(width(Font::Bold, 0xF6), 611);
    }

    #[test]
    fn wrapping_fills_lines_up_to_the_width_and_breaks_overlong_words() {
        let text = "een twee drie vier vijf zes zeven acht negen tien";
        let lines = wrap(Font::Regular, BODY, 100.0, text);
        assert!(lines.len() > 2);
        assert!(
            lines
                .iter()
                .all(|l| measure(Font::Regular, BODY, l) <= 100.0)
        );
        let joined: Vec<u8> = lines.join(&b' ');
        assert_eq!(joined, text.as_bytes());
        let long = wrap(Font::Regular, BODY, 50.0, &"x".repeat(40));
        assert!(long.len() > 1);
        assert_eq!(wrap(Font::Regular, BODY, 50.0, ""), vec![Vec::<u8>::new()]);
    }
}
