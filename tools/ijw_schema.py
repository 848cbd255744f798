#!/usr/bin/env python3
"""Generates crates/ijw/src/schema/tables.rs from the official iJw 3.2 schemas.

The schemas stay reference material outside the repository (../shared/ijw/xsd/ijw-3.2);
what this script carries over are the structural facts the codec needs to validate at
schema level exactly as the XSD does: element names, order and cardinality, the simple
types with their facets (patterns, code-list values, lengths, ranges). No documentation
text is copied.

It also generates crates/ijw/src/types.rs: a typed Rust struct per complex type
(fields named after the elements, Option for 0..1, Vec for 0..n), an enum per code
list (variants named after the code's meaning, which is part of the standard), and the
decode/encode code between those and the element tree.

Usage:
  python3 tools/ijw_schema.py ../shared/ijw/xsd/ijw-3.2 tables > crates/ijw/src/schema/tables.rs
  python3 tools/ijw_schema.py ../shared/ijw/xsd/ijw-3.2 types > crates/ijw/src/types.rs
A test (crates/ijw/tests/ijw.rs) regenerates both and fails when a committed file differs.
"""
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

XS = "{http://www.w3.org/2001/XMLSchema}"
MESSAGES = ["301", "302", "305", "306", "307", "308", "315", "316", "317", "318", "319", "320", "323", "325"]


def ident(text):
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").upper()


def rust_str(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Schema:
    def __init__(self, path, prefix):
        self.root = ET.parse(path).getroot()
        self.prefix = prefix
        self.namespace = self.root.get("targetNamespace")


class Generator:
    def __init__(self, folder):
        self.schemas = {"ijw": Schema(folder / "basisschema.xsd", "ijw")}
        for m in MESSAGES:
            self.schemas[f"jw{m}"] = Schema(folder / f"jw{m}.xsd", f"jw{m}")
        self.simple = {}  # rust ident -> rust literal
        self.simple_patterns = {}  # rust ident -> its pattern facets
        self.simple_info = {}  # rust ident -> (display name, parent ident, enumeration [(code, doc)])
        self.complex_info = {}  # rust ident -> (prefix, name, namespace, [(element, kind, target ident, min, max)])
        self.base_of = {}  # rust ident -> base kind
        self.patterns = set()
        self.simple_order = []
        self.complex = {}
        self.complex_order = []

    def qualified(self, schema, ref):
        prefix, _, name = ref.rpartition(":")
        return (prefix or schema.prefix), name

    def find(self, prefix, kind, name):
        for node in self.schemas[prefix].root.findall(f"{XS}{kind}"):
            if node.get("name") == name:
                return node
        raise KeyError(f"{prefix}:{name}")

    def simple_type(self, schema, node, ident_name, display):
        if ident_name in self.simple:
            return ident_name
        self.simple[ident_name] = None
        restriction = node.find(f"{XS}restriction")
        base = restriction.get("base")
        parent = "None"
        if base.startswith("xs:"):
            kind = {"xs:string": "String", "xs:integer": "Integer", "xs:date": "Date", "xs:time": "Time"}[base]
        else:
            prefix, name = self.qualified(schema, base)
            parent_ident = self.named_simple(prefix, name)
            parent = f"Some(&{parent_ident})"
            kind = self.base_of[parent_ident]
        self.base_of[ident_name] = kind
        facets = {"pattern": [], "enumeration": []}
        for facet in restriction:
            tag = facet.tag.replace(XS, "")
            if tag in ("pattern", "enumeration"):
                facets[tag].append(facet.get("value"))
                if tag == "pattern":
                    self.patterns.add(facet.get("value"))
            elif tag in ("minLength", "maxLength", "minInclusive", "maxInclusive"):
                facets[tag] = facet.get("value")
            elif tag != "annotation":
                raise ValueError(f"unsupported facet {tag}")
        fields = [
            f"name: {rust_str(display)}",
            f"base: Base::{kind}",
            f"parent: {parent}",
            # Filled in by run(), once every pattern has its static.
            "patterns: @PATTERNS@",
            # Sorted, so that a value is found by binary search: a country list has
            # some 250 codes of the same length.
            "enumeration: &[" + ", ".join(rust_str(e) for e in sorted(facets["enumeration"])) + "]",
            f"min_length: {opt(facets.get('minLength'))}",
            f"max_length: {opt(facets.get('maxLength'))}",
            f"min_inclusive: {opt(facets.get('minInclusive'))}",
            f"max_inclusive: {opt(facets.get('maxInclusive'))}",
        ]
        docs = [
            (f.get("value"), (f.findtext(f"{XS}annotation/{XS}documentation") or "").strip())
            for f in restriction.findall(f"{XS}enumeration")
        ]
        self.simple_info[ident_name] = (display, parent_ident if parent != "None" else None, docs)
        self.simple[ident_name] = "SimpleType {\n    " + ",\n    ".join(fields) + ",\n}"
        self.simple_patterns[ident_name] = facets["pattern"]
        self.simple_order.append(ident_name)
        return ident_name

    def named_simple(self, prefix, name):
        return self.simple_type(self.schemas[prefix], self.find(prefix, "simpleType", name), ident(f"{prefix}_{name}"), f"{prefix}:{name}")

    def named_complex(self, prefix, name):
        key = ident(f"{prefix}_{name}")
        if key in self.complex:
            return key
        self.complex[key] = None
        schema = self.schemas[prefix]
        node = self.find(prefix, "complexType", name)
        particles = []
        info = []
        for element in node.find(f"{XS}sequence").findall(f"{XS}element"):
            ename = element.get("name")
            minimum = int(element.get("minOccurs", "1"))
            maximum = element.get("maxOccurs", "1")
            maximum = "None" if maximum == "unbounded" else f"Some({int(maximum)})"
            if element.get("type"):
                tprefix, tname = self.qualified(schema, element.get("type"))
                if self.is_complex(tprefix, tname):
                    target = self.named_complex(tprefix, tname)
                    ty = f"Type::Complex(&{target})"
                    kind = "complex"
                else:
                    target = self.named_simple(tprefix, tname)
                    ty = f"Type::Simple(&{target})"
                    kind = "simple"
            else:
                inline = element.find(f"{XS}simpleType")
                target = self.simple_type(schema, inline, ident(f'{prefix}_{name}_{ename}'), f'{prefix}:{name}/{ename}')
                ty = f"Type::Simple(&{target})"
                kind = "simple"
            info.append((ename, kind, target, minimum, element.get("maxOccurs", "1")))
            particles.append(
                f"Particle {{ name: {rust_str(ename)}, ty: {ty}, min: {minimum}, max: {maximum} }}"
            )
        body = (
            f"ComplexType {{\n    namespace: {rust_str(schema.namespace)},\n"
            "    particles: &[\n        " + ",\n        ".join(particles) + ",\n    ],\n}"
        )
        self.complex[key] = body
        self.complex_info[key] = (prefix, name, schema.namespace, info)
        self.complex_order.append(key)
        return key

    def is_complex(self, prefix, name):
        return any(n.get("name") == name for n in self.schemas[prefix].root.findall(f"{XS}complexType"))

    def run(self):
        roots = []
        for m in MESSAGES:
            schema = self.schemas[f"jw{m}"]
            bericht = [e for e in schema.root.findall(f"{XS}element") if e.get("name") == "Bericht"][0]
            prefix, name = self.qualified(schema, bericht.get("type"))
            roots.append((m, self.named_complex(prefix, name)))
        out = [
            "// @generated by tools/ijw_schema.py from the official iJw 3.2 schemas. Do not edit:",
            "// change the generator and regenerate (see its docstring).",
            "",
            "use super::{Base, ComplexType, Particle, Pattern, SimpleType, Type};",
            "use crate::Berichtsoort;",
            "",
        ]
        # One static per distinct pattern, which the types refer to: a value's
        # compiled pattern is then found by its address, with no lookup by text.
        patterns = sorted(self.patterns)
        pattern_ident = {p: f"PATTERN_{i}" for i, p in enumerate(patterns)}
        for key in self.simple_order:
            refs = ", ".join(f"&{pattern_ident[p]}" for p in self.simple_patterns[key])
            simple = self.simple[key].replace("@PATTERNS@", f"&[{refs}]")
            out.append(f"pub(crate) static {key}: SimpleType = {simple};\n")
        for key in self.complex_order:
            out.append(f"pub(crate) static {key}: ComplexType = {self.complex[key]};\n")
        for p in patterns:
            out.append(f"pub(crate) static {pattern_ident[p]}: Pattern = Pattern::new({rust_str(p)});\n")
        out.append("/// Every pattern facet in the schemas, for the test that compiles them all.")
        out.append("#[cfg(test)]")
        out.append("pub(crate) static PATTERNS: &[&Pattern] = &[")
        for p in patterns:
            out.append(f"    &{pattern_ident[p]},")
        out.append("];\n")
        out.append("/// The type of the root element `Bericht` of each message.")
        out.append("pub(crate) fn root_type(soort: Berichtsoort) -> &'static ComplexType {")
        out.append("    match soort {")
        for m, key in roots:
            out.append(f"        Berichtsoort::Jw{m} => &{key},")
        out.append("    }")
        out.append("}")
        return "\n".join(out) + "\n"


def opt(value):
    return "None" if value is None else f"Some({value})"




def snake(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def camel_words(text, limit):
    words = re.findall(r"[A-Za-z0-9]+", text.replace("'", ""))
    words = [w for w in words if not w.isdigit()] or words
    return "".join(w[:1].upper() + w[1:].lower() for w in words[:limit])


# Lists whose codes are their names: country codes, retour codes, product categories,
# debet and credit.
CODE_NAMED = {
    "LDT_LandCode": lambda code: code[:1] + code[1:].lower(),
    "LDT_RetourCode": lambda code: "R" + code,
    "LDT_ProductCategorie": lambda code: "C" + code,
    "LDT_DebetCredit": lambda code: {"C": "Credit", "D": "Debet"}[code],
}


class TypesGenerator:
    """Typed structs, code-list enums and their decode/encode, from the same walk."""

    def __init__(self, generator):
        self.g = generator

    def enum_root(self, ident_name):
        """The simple type that carries the enumeration, if any, following restrictions."""
        while ident_name:
            display, parent, docs = self.g.simple_info[ident_name]
            if docs:
                return ident_name
            ident_name = parent
        return None

    def base(self, ident_name):
        return self.g.base_of[ident_name]

    def rust_simple(self, ident_name):
        root = self.enum_root(ident_name)
        if root:
            return "codes::" + self.enum_name(root)
        return {"String": "String", "Integer": "i64", "Date": "NaiveDate", "Time": "NaiveTime"}[self.base(ident_name)]

    def enum_name(self, ident_name):
        display = self.g.simple_info[ident_name][0]
        return display.split(":")[1].replace("LDT_", "")

    def struct_name(self, key):
        prefix, name, _, _ = self.g.complex_info[key]
        name = name.replace("CDT_", "")
        return ("basis::" if prefix == "ijw" else f"{prefix}::") + ("Bericht" if name == "Root" else name)

    def enums(self):
        out = ["/// The code lists of iJw 3.2 (basisschema), one enum each. `FromStr` refuses", "/// an unknown code.", "pub mod codes {", "    use super::*;", ""]
        for key in self.g.simple_order:
            display, parent, docs = self.g.simple_info[key]
            if not docs or parent:
                continue
            name = self.enum_name(key)
            raw_name = display.split(":")[1]
            variants = []
            seen = set()
            for code, doc in docs:
                variant = CODE_NAMED[raw_name](code) if raw_name in CODE_NAMED else camel_words(doc, 5) or f"C{code}"
                if variant in seen or not variant[:1].isalpha():
                    variant = f"{variant}{code}" if variant[:1].isalpha() else f"C{code}"
                seen.add(variant)
                variants.append((variant, code, doc))
            out.append(f"    /// Code list {raw_name}.")
            out.append("    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]")
            out.append(f"    pub enum {name} {{")
            for variant, code, doc in variants:
                out.append(f"        /// {code}: {doc}")
                out.append(f"        {variant},")
            out.append("    }")
            out.append("")
            out.append(f"    impl {name} {{")
            out.append(f"        pub const ALL: [{name}; {len(variants)}] = [" + ", ".join(f"{name}::{v}" for v, _, _ in variants) + "];")
            out.append("")
            out.append("        /// The code as it stands in a message.")
            out.append("        pub fn code(self) -> &'static str {")
            out.append("            match self {")
            for v, code, _ in variants:
                out.append(f"                {name}::{v} => {rust_str(code)},")
            out.append("            }")
            out.append("        }")
            out.append("")
            out.append("        /// What the code means, as the standard says it.")
            out.append("        pub fn description(self) -> &'static str {")
            out.append("            match self {")
            for v, _, doc in variants:
                out.append(f"                {name}::{v} => {rust_str(doc)},")
            out.append("            }")
            out.append("        }")
            out.append("    }")
            out.append("")
            out.append(f"    impl std::str::FromStr for {name} {{")
            out.append("        type Err = UnknownCode;")
            out.append("")
            out.append("        fn from_str(code: &str) -> Result<Self, Self::Err> {")
            # A match on the text, which the compiler turns into a comparison of
            # lengths and bytes, instead of comparing with every code in turn: some
            # lists (LandCode) hold hundreds. The first variant of a code wins, as
            # a search of ALL in order would find it.
            out.append("            match code {")
            matched = set()
            for v, code, _ in variants:
                if code not in matched:
                    matched.add(code)
                    out.append(f"                {rust_str(code)} => Ok({name}::{v}),")
            out.append(f"                _ => Err(UnknownCode {{ list: {rust_str(raw_name)}, code: code.to_owned() }}),")
            out.append("            }")
            out.append("        }")
            out.append("    }")
            out.append("")
            out.append(f"    impl Value for {name} {{")
            out.append("        fn parse(text: &str) -> Result<Self, String> {")
            out.append("            text.parse().map_err(|e: UnknownCode| e.to_string())")
            out.append("        }")
            out.append("")
            out.append("        fn render(&self) -> String {")
            out.append("            self.code().to_owned()")
            out.append("        }")
            out.append("    }")
            out.append("")
        out.append("}")
        return out

    def structs(self):
        modules = {}
        for key in self.g.complex_order:
            prefix, name, namespace, info = self.g.complex_info[key]
            module = "basis" if prefix == "ijw" else prefix
            struct = self.struct_name(key).split("::")[1]
            fields, decode, encode = [], [], []
            for ename, kind, target, minimum, maximum in info:
                field = snake(ename)
                if field in ("type",):
                    field = f"r#{field}"
                inner = self.struct_name(target).replace(f"{module}::", "") if kind == "complex" else self.rust_simple(target)
                if kind == "complex" and not self.struct_name(target).startswith(f"{module}::"):
                    inner = self.struct_name(target)
                if maximum != "1":
                    ty, how = f"Vec<{inner}>", "many"
                elif minimum == 0:
                    ty, how = f"Option<{inner}>", "optional"
                else:
                    ty, how = inner, "one"
                fields.append(f"    pub {field}: {ty},")
                suffix = "_complex" if kind == "complex" else ""
                decode.append(f"            {field}: c.{how}{suffix}({rust_str(ename)})?,")
                encode.append(f"        e.{how}{suffix}({rust_str(ename)}, &self.{field});")
            body = [
                "#[derive(Debug, Clone, PartialEq, Eq, Hash)]",
                f"pub struct {struct} {{",
                *fields,
                "}",
                "",
                f"impl Complex for {struct} {{",
                f"    const NAMESPACE: &'static str = {rust_str(namespace)};",
                "",
                "    fn decode(element: &Element) -> Result<Self, DecodeError> {",
                "        let mut c = Cursor::new(element, Self::NAMESPACE);",
                f"        let value = {struct} {{",
                *decode,
                "        };",
                "        c.finish()?;",
                "        Ok(value)",
                "    }",
                "",
                "    fn encode_into(&self, e: &mut Builder) {",
                *encode,
                "    }",
                "}",
                "",
            ]
            modules.setdefault(module, []).extend(body)
        out = []
        for module, body in modules.items():
            doc = "Shared types of the basisschema." if module == "basis" else f"The message {module.upper()}."
            out.append(f"/// {doc}")
            out.append(f"pub mod {module} {{")
            out.append("    #![allow(clippy::struct_field_names, reason = \"the standard's element names\")]")
            out.append("    use super::*;")
            out.append("")
            out.extend(("    " + line) if line else "" for line in body)
            out.append("}")
            out.append("")
        return out

    def run(self):
        out = [
            "// @generated by tools/ijw_schema.py from the official iJw 3.2 schemas. Do not edit:",
            "// change the generator and regenerate (see its docstring).",
            "",
            "use chrono::{NaiveDate, NaiveTime};",
            "",
            "use crate::Berichtsoort;",
            "use crate::codec::{Builder, Complex, Cursor, DecodeError, UnknownCode, Value};",
            "use crate::xml::Element;",
            "",
        ]
        out.extend(self.enums())
        out.append("")
        out.extend(self.structs())
        out.extend(self.message_enum())
        return "\n".join(out).rstrip() + "\n"

    def message_enum(self):
        ms = [f"Jw{m}" for m in MESSAGES]
        out = [
            "/// Any iJw 3.2 message, typed.",
            "#[derive(Debug, Clone, PartialEq, Eq)]",
            "pub enum Bericht {",
            *[f"    {m}({m.lower()}::Bericht)," for m in ms],
            "}",
            "",
            "impl Bericht {",
            "    pub fn soort(&self) -> Berichtsoort {",
            "        match self {",
            *[f"            Bericht::{m}(_) => Berichtsoort::{m}," for m in ms],
            "        }",
            "    }",
            "",
            "    pub(crate) fn decode_root(soort: Berichtsoort, root: &Element) -> Result<Bericht, DecodeError> {",
            "        match soort {",
            *[f"            Berichtsoort::{m} => {m.lower()}::Bericht::decode(root).map(Bericht::{m})," for m in ms],
            "        }",
            "    }",
            "",
            "    pub(crate) fn encode_root(&self) -> Element {",
            "        match self {",
            *[f"            Bericht::{m}(b) => b.encode(\"Bericht\", {m.lower()}::Bericht::NAMESPACE)," for m in ms],
            "        }",
            "    }",
            "}",
        ]
        return out


if __name__ == "__main__":
    generator = Generator(Path(sys.argv[1]))
    tables = generator.run()
    sys.stdout.write(tables if sys.argv[2:] in ([], ["tables"]) else TypesGenerator(generator).run())
