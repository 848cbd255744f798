//! A hardened reader from message bytes to a small element tree, the first step
//! of every decode. It never fetches or expands anything: a DTD, any entity other
//! than the five predefined ones, and any non-UTF-8 encoding are refused. It limits
//! the input size (25 MB, iJw rule OP179), the nesting depth and the number of
//! elements, and it never panics, whatever bytes it is given. It accepts only
//! well-formed XML 1.0 (see `well_formed`), and refuses a DTD even at the start,
//! where XML would allow one: iJw messages have none. The plain XML nearly every
//! message is, `plain` reads in one scan; anything else, quick-xml.

use quick_xml::NsReader;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

mod name;
mod plain;
mod well_formed;

pub use name::Name;

/// Rule: iJw OP179 — a message file is at most 25 MB.
pub const MAX_INPUT_BYTES: usize = 25 * 1024 * 1024;
/// iJw messages nest about eight levels deep; anything far deeper is an attack.
pub const MAX_DEPTH: usize = 32;
/// Far more elements than the largest plausible declaration needs.
pub const MAX_ELEMENTS: usize = 2_000_000;

/// One XML element: its namespace and local name, its text (for leaf elements),
/// its child elements, attributes other than namespace declarations, and the line
/// it starts on (for messages to people). Names and namespaces the schemas know
/// are shared, not copied; an element without text or children holds no memory
/// of its own beyond itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// The namespace URI; empty when the element is in no namespace.
    pub namespace: Name,
    pub name: Name,
    pub text: String,
    pub children: Vec<Element>,
    /// Qualified name and value of each attribute (iJw uses none).
    pub attributes: Vec<(String, String)>,
    pub line: usize,
}

impl Element {
    /// The child elements with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Where an element stands in its document: a chain of borrowed links, so that
/// walking the tree allocates nothing. Rendered as `Bericht/Client/Bsn` — with a
/// position (`Prestatie[2]`) where the name repeats among its siblings — only when
/// a finding needs it.
#[derive(Debug, Clone, Copy)]
pub struct Trail<'a> {
    up: Option<&'a Trail<'a>>,
    element: &'a Element,
    index: usize,
}

impl<'a> Trail<'a> {
    pub fn root(element: &'a Element) -> Self {
        Trail {
            up: None,
            element,
            index: 0,
        }
    }

    /// The trail of this element's child at `index`.
    pub fn child(&'a self, index: usize) -> Option<Trail<'a>> {
        let element = self.element.children.get(index)?;
        Some(Trail {
            up: Some(self),
            element,
            index,
        })
    }

    /// The trails of all children, in order.
    pub fn children(&'a self) -> impl Iterator<Item = Trail<'a>> + 'a {
        (0..self.element.children.len()).filter_map(move |i| self.child(i))
    }

    pub fn element(&self) -> &'a Element {
        self.element
    }

    pub fn render(&self) -> String {
        let mut steps = Vec::new();
        let mut current = Some(self);
        while let Some(trail) = current {
            let name = &trail.element.name;
            let step = match trail.up {
                Some(parent) => {
                    let same: Vec<usize> = parent
                        .element
                        .children
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.name == *name)
                        .map(|(i, _)| i)
                        .collect();
                    match same.iter().position(|i| *i == trail.index) {
                        Some(position) if same.len() > 1 => format!("{name}[{}]", position + 1),
                        _ => name.to_string(),
                    }
                }
                None => name.to_string(),
            };
            steps.push(step);
            current = trail.up;
        }
        steps.reverse();
        steps.join("/")
    }
}

/// A path with the position of the `i`-th of `count` same-named elements, written
/// the way [`Trail::render`] writes it: a position only when there are several.
pub fn indexed(path: &str, i: usize, count: usize) -> String {
    if count > 1 {
        format!("{path}[{}]", i + 1)
    } else {
        path.to_owned()
    }
}

/// Why bytes could not be read as an XML message. Messages are Dutch: they reach
/// the sender of the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("het bericht is {0} bytes; het mag hoogstens 25 MB zijn")]
    TooLarge(usize),
    #[error("het bericht is leeg")]
    Empty,
    #[error("het bericht is geen geldige UTF-8-tekst")]
    NotUtf8,
    #[error("regel {line}: alleen de tekenset UTF-8 is toegestaan, niet '{encoding}'")]
    Encoding { line: usize, encoding: String },
    #[error("regel {line}: een DTD (<!DOCTYPE …>) is niet toegestaan")]
    Doctype { line: usize },
    #[error("regel {line}: de entiteit '&{name};' is niet toegestaan")]
    Entity { line: usize, name: String },
    #[error("regel {line}: het bericht is dieper genest dan {MAX_DEPTH} niveaus")]
    TooDeep { line: usize },
    #[error("het bericht heeft meer dan {MAX_ELEMENTS} elementen")]
    TooManyElements,
    #[error("regel {line}: onbekend namespace-voorvoegsel '{prefix}'")]
    UnknownPrefix { line: usize, prefix: String },
    #[error("regel {line}: element <{element}> bevat zowel tekst als elementen")]
    MixedContent { line: usize, element: String },
    #[error("regel {line}: tekst buiten het hoofdelement")]
    TextOutsideRoot { line: usize },
    #[error("regel {line}: na het hoofdelement volgt nog een element")]
    SecondRoot { line: usize },
    #[error("regel {line}: {message}")]
    Syntax { line: usize, message: String },
    #[error("regel {line}: het teken U+{code:04X} is in XML niet toegestaan")]
    IllegalChar { line: usize, code: u32 },
}

/// Tracks the line number of a byte offset without rescanning from the start.
struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text,
            offset: 0,
            line: 1,
        }
    }

    fn at(&mut self, offset: u64) -> usize {
        let offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        if offset > self.offset {
            let passed = self
                .text
                .as_bytes()
                .get(self.offset..offset)
                .unwrap_or_default();
            self.line += passed.iter().filter(|b| **b == b'\n').count();
            self.offset = offset;
        }
        self.line
    }
}

/// Reads `bytes` into the root element of the document.
pub fn read(bytes: &[u8]) -> Result<Element, ReadError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge(bytes.len()));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?;
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    // The quick reader gives up at any character XML does not allow, so only
    // the full reader's input needs the search for one.
    if let Some(root) = plain::read(text) {
        return Ok(root);
    }
    if let Some((offset, c)) = well_formed::first_illegal_char(text) {
        let mut lines = Lines::new(text);
        return Err(ReadError::IllegalChar {
            line: lines.at(offset as u64),
            code: u32::from(c),
        });
    }
    read_full(text)
}

/// Reads checked text with quick-xml: every construct of XML 1.0, and the message
/// for every way a document can fail.
fn read_full(text: &str) -> Result<Element, ReadError> {
    Parser {
        reader: NsReader::from_str(text),
        lines: Lines::new(text),
        open: Vec::new(),
        done: Vec::new(),
        text: String::new(),
        namespace: Name::default(),
        count: 0,
        events: 0,
    }
    .run()
}

/// An element whose end tag has not come yet.
struct Open {
    element: Element,
    /// Where its children start in `Parser::done`.
    first_child: usize,
    /// Text that is not layout stood before one of its children.
    mixed: bool,
}

struct Parser<'a> {
    reader: NsReader<&'a [u8]>,
    lines: Lines<'a>,
    /// The elements from the root to the innermost open one.
    open: Vec<Open>,
    /// Finished elements whose parent is still open, in document order: each
    /// parent takes its own at its end tag, in one allocation of the right size.
    done: Vec<Element>,
    /// The text of the innermost open element since its start or its last child.
    text: String,
    /// The namespace of the last start tag: the next is nearly always the same.
    namespace: Name,
    count: usize,
    /// Events read so far: a declaration must be the first.
    events: usize,
}

impl Parser<'_> {
    fn line(&mut self) -> usize {
        let position = self.reader.buffer_position();
        self.lines.at(position)
    }

    fn syntax(&mut self, error: impl std::fmt::Display) -> ReadError {
        let line = self.line();
        ReadError::Syntax {
            line,
            message: error.to_string(),
        }
    }

    fn run(mut self) -> Result<Element, ReadError> {
        // Every <x/> arrives as a start and an end event, so it is handled once.
        self.reader.config_mut().expand_empty_elements = true;
        let mut root: Option<Element> = None;
        loop {
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => return Err(self.syntax(e)),
            };
            self.events += 1;
            match event {
                Event::Decl(decl) => self.check_declaration(&decl)?,
                Event::DocType(_) => return Err(ReadError::Doctype { line: self.line() }),
                Event::PI(pi) => well_formed::pi_target(pi.target()).map_err(|e| self.syntax(e))?,
                Event::Comment(comment) => {
                    well_formed::comment(&comment).map_err(|e| self.syntax(e))?;
                }
                Event::Start(start) | Event::Empty(start) => {
                    if root.is_some() {
                        return Err(ReadError::SecondRoot { line: self.line() });
                    }
                    // Only a start tag needs its namespace.
                    let (ns, _) = self.reader.resolver().resolve_element(start.name());
                    let namespace = resolve_remembered(&mut self.namespace, ns);
                    let element = self.start(namespace, &start)?;
                    // Text before a child: layout, or (kept for the end tag) mixed content.
                    if let Some(parent) = self.open.last_mut() {
                        parent.mixed |= !self.text.trim().is_empty();
                    }
                    self.text.clear();
                    self.open.push(Open {
                        element,
                        first_child: self.done.len(),
                        mixed: false,
                    });
                }
                Event::Text(text) => {
                    // Rule: XML 1.0 §2.4 — `]]>` may not stand in character data.
                    if text.contains("]]>") {
                        return Err(self.syntax("']]>' mag niet in tekst staan; schrijf ']]&gt;'"));
                    }
                    let content = text.xml10_content();
                    self.push_text(&content)?;
                }
                Event::CData(data) => {
                    self.inside_root()?;
                    let content = data.into_inner();
                    self.push_text(&content)?;
                }
                Event::GeneralRef(reference) => {
                    self.inside_root()?;
                    let name = reference.as_ref().to_owned();
                    let ch = match reference.resolve_char_ref() {
                        Ok(Some(ch)) => ch,
                        Ok(None) => predefined(&name).ok_or_else(|| ReadError::Entity {
                            line: self.line(),
                            name,
                        })?,
                        Err(e) => return Err(self.syntax(e)),
                    };
                    self.legal(ch)?;
                    self.push_text(ch.encode_utf8(&mut [0; 4]))?;
                }
                Event::End(_) => {
                    let element = self.finish()?;
                    if self.open.is_empty() {
                        root = Some(element);
                    } else {
                        self.done.push(element);
                    }
                }
                Event::Eof => break,
            }
        }
        match (root, self.open.is_empty()) {
            (Some(root), true) => Ok(root),
            _ => Err(self.syntax("het bericht houdt op voordat alle elementen gesloten zijn")),
        }
    }

    /// Rule: XML 1.0 §2.1 — references and CDATA belong inside the root element.
    fn inside_root(&mut self) -> Result<(), ReadError> {
        if self.open.is_empty() {
            return Err(ReadError::TextOutsideRoot { line: self.line() });
        }
        Ok(())
    }

    /// Rule: XML 1.0 §4.1 (WFC: Legal Character) — a character reference too.
    fn legal(&mut self, ch: char) -> Result<(), ReadError> {
        if well_formed::is_char(ch) {
            return Ok(());
        }
        Err(ReadError::IllegalChar {
            line: self.line(),
            code: u32::from(ch),
        })
    }

    /// Rule: XML 1.0 §2.8 — the declaration comes first or not at all, and only
    /// UTF-8 is accepted.
    fn check_declaration(
        &mut self,
        decl: &quick_xml::events::BytesDecl<'_>,
    ) -> Result<(), ReadError> {
        if self.events != 1 {
            return Err(self.syntax("een XML-declaratie mag alleen helemaal aan het begin staan"));
        }
        well_formed::declaration(decl).map_err(|e| self.syntax(e))?;
        match decl.encoding() {
            Some(Ok(encoding)) if !encoding.eq_ignore_ascii_case("utf-8") => {
                Err(ReadError::Encoding {
                    line: self.line(),
                    encoding: encoding.into_owned(),
                })
            }
            Some(Err(e)) => Err(self.syntax(e)),
            _ => Ok(()),
        }
    }

    fn start(
        &mut self,
        namespace: Result<Name, String>,
        start: &BytesStart<'_>,
    ) -> Result<Element, ReadError> {
        let line = self.line();
        let namespace = namespace.map_err(|prefix| ReadError::UnknownPrefix { line, prefix })?;
        if self.open.len() >= MAX_DEPTH {
            return Err(ReadError::TooDeep { line });
        }
        self.count += 1;
        if self.count > MAX_ELEMENTS {
            return Err(ReadError::TooManyElements);
        }
        let qname = start.name();
        if !well_formed::is_qname(qname.as_ref()) {
            return Err(self.syntax(format!("'{}' is geen geldige elementnaam", qname.as_ref())));
        }
        let attributes = if start.attributes_raw().is_empty() {
            Vec::new()
        } else {
            well_formed::attribute_list(start.attributes_raw()).map_err(|e| self.syntax(e))?;
            self.attributes(start)?
        };
        Ok(Element {
            namespace,
            name: Name::interned(start.local_name().as_ref()),
            text: String::new(),
            children: Vec::new(),
            attributes,
            line,
        })
    }

    /// The attributes other than namespace declarations, each name a QName and
    /// each (namespace, local name) once (Namespaces in XML 1.0 §6.3).
    fn attributes(&mut self, start: &BytesStart<'_>) -> Result<Vec<(String, String)>, ReadError> {
        let mut attributes = Vec::new();
        let mut expanded: Vec<(Name, String)> = Vec::new();
        for attribute in start.attributes() {
            let attribute: Attribute<'_> = attribute.map_err(|e| self.syntax(e))?;
            let key = attribute.key.as_ref().to_owned();
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| self.syntax(e))?
                .into_owned();
            if let Some((_, c)) = well_formed::first_illegal_char(&value) {
                self.legal(c)?;
            }
            if !well_formed::is_qname(&key) {
                return Err(self.syntax(format!("'{key}' is geen geldige attribuutnaam")));
            }
            if key == "xmlns" || key.starts_with("xmlns:") {
                if key.starts_with("xmlns:") && value.is_empty() {
                    return Err(self.syntax(format!("'{key}' mag niet leeg zijn")));
                }
                continue;
            }
            let (namespace, local) = self.reader.resolver().resolve_attribute(attribute.key);
            let pair = match resolve(namespace) {
                Ok(namespace) => (namespace, local.as_ref().to_owned()),
                Err(prefix) => {
                    let line = self.line();
                    return Err(ReadError::UnknownPrefix { line, prefix });
                }
            };
            if expanded.contains(&pair) {
                return Err(self.syntax(format!("attribuut '{key}' staat er twee keer")));
            }
            expanded.push(pair);
            attributes.push((key, value));
        }
        Ok(attributes)
    }

    fn push_text(&mut self, content: &str) -> Result<(), ReadError> {
        if self.open.is_empty() {
            if content.trim().is_empty() {
                return Ok(());
            }
            return Err(ReadError::TextOutsideRoot { line: self.line() });
        }
        self.text.push_str(content);
        Ok(())
    }

    /// Closes the innermost element: whitespace between child elements is layout,
    /// other text beside child elements is an error.
    fn finish(&mut self) -> Result<Element, ReadError> {
        let Some(Open {
            mut element,
            first_child,
            mixed,
        }) = self.open.pop()
        else {
            return Err(self.syntax("sluitend element zonder begin"));
        };
        if first_child < self.done.len() {
            if mixed || !self.text.trim().is_empty() {
                return Err(ReadError::MixedContent {
                    line: element.line,
                    element: element.name.to_string(),
                });
            }
            element.children = self.done.drain(first_child..).collect();
        } else if !self.text.is_empty() {
            element.text = self.text.as_str().to_owned();
        }
        self.text.clear();
        Ok(element)
    }
}

/// The namespace URI, an empty name when unbound, or the unknown prefix.
fn resolve(result: ResolveResult<'_>) -> Result<Name, String> {
    match result {
        ResolveResult::Bound(ns) => Ok(Name::interned(ns.as_ref())),
        ResolveResult::Unbound => Ok(Name::default()),
        ResolveResult::Unknown(prefix) => Err(prefix),
    }
}

/// As [`resolve`], remembering the last namespace: the next is nearly always the same.
fn resolve_remembered(last: &mut Name, result: ResolveResult<'_>) -> Result<Name, String> {
    if let ResolveResult::Bound(ns) = &result
        && *last == *ns.as_ref()
    {
        return Ok(last.clone());
    }
    let name = resolve(result)?;
    last.clone_from(&name);
    Ok(name)
}

/// The five entities every XML processor knows.
fn predefined(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// Writes an element tree as canonical XML: UTF-8 declaration, one element per
/// line indented by two spaces, namespaces declared once on the root with fixed
/// prefixes (`ijw` for the basisschema, `jw301` … for a message's own namespace),
/// text escaped, no attributes (iJw declares none; schema-location hints are not
/// repeated). The same tree always gives the same bytes.
pub fn write(root: &Element) -> String {
    let mut namespaces: Vec<&str> = Vec::new();
    collect_namespaces(root, &mut namespaces);
    let prefixes: Vec<(&str, String)> = namespaces
        .iter()
        .enumerate()
        .map(|(i, ns)| (*ns, prefix_for(ns, i)))
        .collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    write_element(root, &prefixes, 0, &mut out);
    out
}

fn collect_namespaces<'a>(element: &'a Element, found: &mut Vec<&'a str>) {
    if !element.namespace.is_empty() && !found.contains(&element.namespace.as_str()) {
        found.push(&element.namespace);
    }
    for child in &element.children {
        collect_namespaces(child, found);
    }
}

fn prefix_for(namespace: &str, index: usize) -> String {
    if namespace == crate::BASISSCHEMA_NAMESPACE {
        return "ijw".to_owned();
    }
    match crate::Berichtsoort::from_namespace(namespace) {
        Some(soort) => soort.name().to_ascii_lowercase(),
        None => format!("ns{index}"),
    }
}

fn write_element(element: &Element, prefixes: &[(&str, String)], depth: usize, out: &mut String) {
    let name = match prefixes.iter().find(|(ns, _)| *ns == element.namespace) {
        Some((_, prefix)) => format!("{prefix}:{}", element.name),
        None => element.name.to_string(),
    };
    out.push_str(&"  ".repeat(depth));
    out.push('<');
    out.push_str(&name);
    if depth == 0 {
        for (ns, prefix) in prefixes {
            out.push_str(&format!(" xmlns:{prefix}=\"{}\"", escape(ns)));
        }
    }
    if element.children.is_empty() {
        out.push('>');
        out.push_str(&escape(&element.text));
    } else {
        out.push_str(">\n");
        for child in &element.children {
            write_element(child, prefixes, depth + 1, out);
        }
        out.push_str(&"  ".repeat(depth));
    }
    out.push_str(&format!("</{name}>\n"));
}

/// The text as XML character data. A character XML 1.0 cannot carry at all (a
/// control character, U+FFFE, U+FFFF) becomes U+FFFD, so that what is written is
/// always well-formed; Jeugdroute refuses such characters at input already.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if !well_formed::is_char(c) => out.push('\u{FFFD}'),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}
