//! A quick reader for the plain XML that nearly every message is: elements with
//! ASCII names, namespace declarations, text without references, and at most the
//! usual XML declaration. It scans the bytes once and builds the same tree the
//! full reader would, without a tokenizer's general machinery between them.
//!
//! It gives up at the first thing outside that subset — a comment, a reference,
//! CDATA, an attribute other than a namespace declaration, a carriage return, a
//! character XML does not allow, an unbound prefix, anything malformed — and the
//! full reader then reads the message from the start, so every refusal and every
//! message about it stays the full reader's. The tests hold the two readers to
//! the same tree.

use super::{Element, MAX_DEPTH, MAX_ELEMENTS, Name};

/// The XML declarations the quick reader knows; any other goes to the full reader.
const DECLARATIONS: [&str; 4] = [
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
    "<?xml version='1.0' encoding='UTF-8'?>",
    "<?xml version=\"1.0\"?>",
];

/// The root element of `text`, or `None` where the full reader must decide.
pub(super) fn read(text: &str) -> Option<Element> {
    let start = DECLARATIONS
        .iter()
        .find(|d| text.starts_with(*d))
        .map_or(0, |d| d.len());
    Reader {
        text,
        at: start,
        line: 1,
        bindings: Vec::new(),
        open: Vec::new(),
        done: Vec::new(),
        count: 0,
    }
    .run()
}

/// An element whose end tag has not come yet.
struct Open<'a> {
    element: Element,
    /// Its name as written, which the end tag must repeat.
    qname: &'a str,
    /// Where its children start in `Reader::done`.
    first_child: usize,
    /// How many namespace bindings were in force before its start tag.
    bindings: usize,
}

struct Reader<'a> {
    text: &'a str,
    /// The next byte to read.
    at: usize,
    /// The line of the byte at `at`: line feeds stand only in text and between
    /// attributes here, and are counted as they are passed.
    line: usize,
    /// Prefix (empty for the default namespace) and namespace of each
    /// declaration in force, innermost last: the URI is looked up once, where it
    /// is declared, not at every element in it.
    bindings: Vec<(&'a str, Name)>,
    open: Vec<Open<'a>>,
    /// Finished elements whose parent is still open, in document order.
    done: Vec<Element>,
    count: usize,
}

impl<'a> Reader<'a> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    fn run(mut self) -> Option<Element> {
        let mut root = None;
        loop {
            let text = self.text_until_tag()?;
            match (self.byte(self.at), self.byte(self.at + 1)) {
                (None, _) => break,
                (Some(_), Some(b'/')) => {
                    let element = self.end_tag(text)?;
                    self.place(element, &mut root);
                }
                _ => {
                    // A second root, or text before a child: the full reader's to refuse.
                    if root.is_some() || !text.layout {
                        return None;
                    }
                    if let Some(empty) = self.start_tag()? {
                        self.place(empty, &mut root);
                    }
                }
            }
        }
        root.filter(|_| self.open.is_empty())
    }

    /// A finished element goes to its parent's children, or is the root.
    fn place(&mut self, element: Element, root: &mut Option<Element>) {
        if self.open.is_empty() {
            *root = Some(element);
        } else {
            self.done.push(element);
        }
    }

    /// The text up to the next `<` or the end; only text that needs no
    /// translation: no reference, no carriage return, no `>`. Outside the root
    /// only layout.
    fn text_until_tag(&mut self) -> Option<Segment<'a>> {
        let from = self.at;
        let rest = self.text.as_bytes().get(from..)?;
        let mut layout = true;
        let mut length = rest.len();
        for (i, b) in rest.iter().enumerate() {
            let class = class(*b);
            if class & (TAG | REFUSED) != 0 {
                if class & REFUSED != 0 {
                    return None;
                }
                length = i;
                break;
            }
            self.line += usize::from(*b == b'\n');
            layout &= class & LAYOUT != 0;
        }
        self.at = from + length;
        if self.open.is_empty() && !layout {
            return None;
        }
        Some(Segment {
            text: self.text.get(from..self.at)?,
            layout,
        })
    }

    /// Reads a start tag at `<`. An element with content is opened and `None`
    /// returned; an empty-element tag (`<x/>`) gives its element at once.
    fn start_tag(&mut self) -> Option<Option<Element>> {
        let (qname, local) = self.name(self.at + 1)?;
        self.at += 1 + qname.len();
        let bindings = self.bindings.len();
        let empty = self.declarations(bindings)?;
        if self.open.len() >= MAX_DEPTH {
            return None;
        }
        self.count += 1;
        if self.count > MAX_ELEMENTS {
            return None;
        }
        let prefix = qname.get(..local.saturating_sub(1))?;
        let namespace = self.resolve(prefix)?;
        let element = Element {
            namespace,
            name: Name::interned(qname.get(local..)?),
            line: self.line,
            ..Element::default()
        };
        if empty {
            self.bindings.truncate(bindings);
            return Some(Some(element));
        }
        self.open.push(Open {
            element,
            qname,
            first_child: self.done.len(),
            bindings,
        });
        Some(None)
    }

    /// The namespace declarations of a start tag up to and past its `>`: whether
    /// the tag was an empty-element tag. Any other attribute gives up.
    fn declarations(&mut self, before: usize) -> Option<bool> {
        loop {
            let spaced = self.skip_space();
            match self.byte(self.at)? {
                b'>' => {
                    self.at += 1;
                    return Some(false);
                }
                b'/' if self.byte(self.at + 1) == Some(b'>') => {
                    self.at += 2;
                    return Some(true);
                }
                _ if spaced => {}
                _ => return None,
            }
            let (attribute, _) = self.name(self.at)?;
            let prefix = match attribute.split_once(':') {
                Some(("xmlns", prefix)) if !reserved(prefix) => prefix,
                None if attribute == "xmlns" => "",
                _ => return None,
            };
            self.at += attribute.len();
            self.skip_space();
            if self.byte(self.at)? != b'=' {
                return None;
            }
            self.at += 1;
            self.skip_space();
            let uri = self.quoted()?;
            let declared = self.bindings.get(before..).unwrap_or_default();
            if declared.iter().any(|(p, _)| *p == prefix) {
                return None;
            }
            self.bindings.push((prefix, Name::interned(uri)));
        }
    }

    /// A quoted attribute value, without anything that would need translating.
    fn quoted(&mut self) -> Option<&'a str> {
        let quote = self.byte(self.at).filter(|q| matches!(q, b'"' | b'\''))?;
        let from = self.at + 1;
        let rest = self.text.as_bytes().get(from..)?;
        let length = rest.iter().position(|b| *b == quote)?;
        let value = self.text.get(from..from + length)?;
        let plain = value
            .bytes()
            .all(|b| b != b' ' && class(b) & (TAG | REFUSED | LAYOUT) == 0);
        self.at = from + length + 1;
        (plain && !value.is_empty()).then_some(value)
    }

    /// Skips white space; whether there was any.
    fn skip_space(&mut self) -> bool {
        let from = self.at;
        while let Some(b) = self.byte(self.at).filter(|b| class(*b) & LAYOUT != 0) {
            self.line += usize::from(b == b'\n');
            self.at += 1;
        }
        self.at > from
    }

    /// The ASCII QName at `at`: a letter or `_`, then letters, digits, `_`, `-`
    /// and `.`, with at most one colon inside. The name and where its local
    /// part starts.
    fn name(&self, at: usize) -> Option<(&'a str, usize)> {
        let rest = self.text.as_bytes().get(at..)?;
        let starts_part = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
        // A run of name characters, and after a colon a second run.
        let run = |from: usize| {
            let part = rest.get(from..).unwrap_or_default();
            from + part
                .iter()
                .position(|b| class(*b) != NAME)
                .unwrap_or(part.len())
        };
        let mut length = run(0);
        let mut local = 0;
        if rest.get(length) == Some(&b':') {
            local = length + 1;
            length = run(local);
        }
        let fine = starts_part(rest.first()) && (local == 0 || starts_part(rest.get(local)));
        fine.then_some((self.text.get(at..at + length)?, local))
    }

    /// The namespace bound to `prefix`; none for an unprefixed name without a
    /// default namespace. An unbound prefix is the full reader's to refuse.
    fn resolve(&self, prefix: &str) -> Option<Name> {
        match self.bindings.iter().rev().find(|(p, _)| *p == prefix) {
            Some((_, namespace)) => Some(namespace.clone()),
            None => prefix.is_empty().then(Name::default),
        }
    }

    /// Reads an end tag at `</` and closes the innermost element; `text` is what
    /// stood since its start tag or its last child.
    fn end_tag(&mut self, text: Segment<'_>) -> Option<Element> {
        let open = self.open.pop()?;
        let end = self.at + 2 + open.qname.len();
        let written = self.text.get(self.at + 2..end)?;
        if written != open.qname || self.byte(end) != Some(b'>') {
            return None;
        }
        self.at = end + 1;
        self.bindings.truncate(open.bindings);
        let mut element = open.element;
        if open.first_child < self.done.len() {
            if !text.layout {
                return None;
            }
            element.children = self.done.split_off(open.first_child);
        } else if !text.text.is_empty() {
            element.text = text.text.to_owned();
        }
        Some(element)
    }
}

/// Text between tags, and whether it is only layout: spaces, tabs and line feeds
/// here, so that every layout the quick reader accepts the full reader also takes
/// for layout.
#[derive(Debug, Clone, Copy)]
struct Segment<'a> {
    text: &'a str,
    layout: bool,
}

/// Classes of a byte: layout, the `<` that ends text, what the quick reader
/// leaves to the full one, and the bytes of an ASCII QName (the colon apart).
const LAYOUT: u8 = 1;
const TAG: u8 = 2;
const REFUSED: u8 = 4;
const NAME: u8 = 8;
const COLON: u8 = 16;

/// The class of every byte, looked up: the scan asks it of nearly every byte.
static CLASSES: [u8; 256] = {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        // In range: `byte` counts below the table's length.
        #[allow(clippy::indexing_slicing)]
        {
            table[byte] = class_of(byte as u8);
        }
        byte += 1;
    }
    table
};

const fn class_of(byte: u8) -> u8 {
    match byte {
        b' ' | b'\t' | b'\n' => LAYOUT,
        b'<' => TAG,
        // Besides what needs translating, every byte that can start a character
        // XML does not allow: the other control characters, and 0xEF, with which
        // U+FFFE and U+FFFF start (and rarer characters the full reader then reads).
        // So a document the quick reader takes holds no illegal character, and
        // the full reader is the only one that needs to look for them.
        b'&' | b'\r' | b'>' | 0x00..=0x1F | 0xEF => REFUSED,
        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'-' | b'.' => NAME,
        b':' => COLON,
        _ => 0,
    }
}

fn class(byte: u8) -> u8 {
    CLASSES.get(usize::from(byte)).copied().unwrap_or(REFUSED)
}

/// Prefixes starting with `xml`, in any case, are reserved (Namespaces in XML 1.0 §3).
fn reserved(prefix: &str) -> bool {
    prefix
        .get(..3)
        .is_some_and(|start| start.eq_ignore_ascii_case("xml"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Berichtsoort;

    /// What both readers make of `text`: the quick one may give up, but never
    /// disagree.
    fn agree(text: &str) {
        if let Some(quick) = read(text) {
            assert_eq!(super::super::read_full(text), Ok(quick), "{text}");
        }
    }

    fn examples() -> Vec<String> {
        Berichtsoort::ALL
            .iter()
            .map(|soort| crate::encode(&crate::voorbeeld(*soort)))
            .collect()
    }

    #[test]
    fn every_example_is_plain() {
        for xml in examples() {
            assert!(read(&xml).is_some(), "{xml}");
            agree(&xml);
        }
    }

    #[test]
    fn the_readers_agree_on_small_documents() {
        let documents = [
            "<a/>",
            " <a></a>\n",
            "<?xml version=\"1.0\"?><a>x</a>",
            "<?xml version=\"1.0\"?> <a>x</a>",
            "<a xmlns=\"urn:x\"><b>1</b><b/>\n</a>",
            "<p:a xmlns:p=\"urn:p\" xmlns=\"urn:d\"><b xmlns=\"urn:e\">1</b><c/></p:a>",
            "<p:a xmlns:p='urn:p'><p:b xmlns:p='urn:q'/><p:c/></p:a>",
            "<a xmlns:p=\"urn:p\" xmlns:p=\"urn:q\"/>",
            "<p:a/>",
            "<a><b>x</b>y</a>",
            "<a>y<b>x</b></a>",
            "<a>\u{A0}<b>x</b></a>",
            "<a></b>",
            "<a>",
            "<a/><b/>",
            "<a/>x",
            "<a x=\"1\"/>",
            "<a >x</a >",
            "<a\n xmlns:p=\"urn:p\"\n><p:b\n/></a>",
            "<a>é ü</a>",
            "<a>a\nb</a>",
            "<a>&amp;</a>",
            "<xml:a/>",
            "<xmlns:a/>",
            "<a xmlns:xml=\"urn:x\"/>",
            "<a xmlns=\"\"/>",
        ];
        for document in documents {
            agree(document);
        }
    }

    /// The quick reader is the only one that does not search for characters XML
    /// forbids, so it must give up at every one of them, wherever it stands.
    #[test]
    fn an_illegal_character_anywhere_is_left_to_the_full_reader() {
        let illegal = [
            "\u{0}", "\u{1}", "\u{B}", "\u{C}", "\u{1F}", "\u{FFFE}", "\u{FFFF}",
        ];
        for xml in examples() {
            let boundaries: Vec<usize> = (0..=xml.len())
                .filter(|i| xml.is_char_boundary(*i))
                .collect();
            for (n, at) in boundaries.iter().enumerate() {
                let bad = illegal.get(n % illegal.len()).unwrap_or(&"\u{0}");
                let mut text = xml.clone();
                text.insert_str(*at, bad);
                assert!(read(&text).is_none(), "{bad:?} at {at}: {text}");
                assert!(
                    matches!(
                        super::super::read(text.as_bytes()),
                        Err(super::super::ReadError::IllegalChar { .. })
                    ),
                    "{bad:?} at {at}"
                );
            }
        }
    }

    /// Every example, cut, spliced and garbled at many places.
    #[test]
    fn the_readers_agree_on_damaged_messages() {
        let pieces = [
            "<",
            ">",
            "/",
            "&",
            "&amp;",
            "]]>",
            "\r",
            "\u{A0}",
            "x",
            " ",
            "\n",
            ":",
            "=",
            "\"",
            "<b/>",
            "</b>",
            "<!-- c -->",
            "<![CDATA[x]]>",
            " a=\"1\"",
            " xmlns=\"urn:z\"",
            " xmlns:q=\"urn:q\"",
            "<q:b/>",
            "<?pi?>",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % below as u64).unwrap_or(0)
        };
        for xml in examples() {
            for _ in 0..400 {
                let mut text = xml.clone();
                let at = text.floor_char_boundary(next(text.len() + 1));
                match next(3) {
                    0 => text.truncate(at),
                    1 => {
                        let to = text.floor_char_boundary((at + next(30)).min(text.len()));
                        text.replace_range(at..to, "");
                    }
                    _ => text.insert_str(at, pieces.get(next(pieces.len())).unwrap_or(&"")),
                }
                agree(&text);
            }
        }
    }
}
