#!/usr/bin/env python3
"""Generates crates/ijw/src/schema/tables.rs from the official iJw 3.2 schemas.

The schemas stay reference material outside the repository (../shared/ijw/xsd/ijw-3.2);
what this script carries over are the structural facts the codec needs to validate at
schema level exactly as the XSD does: element names, order and cardinality, the simple
types with their facets (patterns, code-list values, lengths, ranges). No documentation
text is copied.

Usage: python3 tools/ijw_schema.py ../shared/ijw/xsd/ijw-3.2 > crates/ijw/src/schema/tables.rs
A test (crates/ijw/tests/ijw.rs) regenerates it and fails when the committed file differs.
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
            "patterns: &[" + ", ".join(rust_str(p) for p in facets["pattern"]) + "]",
            "enumeration: &[" + ", ".join(rust_str(e) for e in facets["enumeration"]) + "]",
            f"min_length: {opt(facets.get('minLength'))}",
            f"max_length: {opt(facets.get('maxLength'))}",
            f"min_inclusive: {opt(facets.get('minInclusive'))}",
            f"max_inclusive: {opt(facets.get('maxInclusive'))}",
        ]
        self.simple[ident_name] = "SimpleType {\n    " + ",\n    ".join(fields) + ",\n}"
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
        for element in node.find(f"{XS}sequence").findall(f"{XS}element"):
            ename = element.get("name")
            minimum = int(element.get("minOccurs", "1"))
            maximum = element.get("maxOccurs", "1")
            maximum = "None" if maximum == "unbounded" else f"Some({int(maximum)})"
            if element.get("type"):
                tprefix, tname = self.qualified(schema, element.get("type"))
                if self.is_complex(tprefix, tname):
                    ty = f"Type::Complex(&{self.named_complex(tprefix, tname)})"
                else:
                    ty = f"Type::Simple(&{self.named_simple(tprefix, tname)})"
            else:
                inline = element.find(f"{XS}simpleType")
                ty = f"Type::Simple(&{self.simple_type(schema, inline, ident(f'{prefix}_{name}_{ename}'), f'{prefix}:{name}/{ename}')})"
            particles.append(
                f"Particle {{ name: {rust_str(ename)}, ty: {ty}, min: {minimum}, max: {maximum} }}"
            )
        body = (
            f"ComplexType {{\n    namespace: {rust_str(schema.namespace)},\n"
            "    particles: &[\n        " + ",\n        ".join(particles) + ",\n    ],\n}"
        )
        self.complex[key] = body
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
            "use super::{Base, ComplexType, Particle, SimpleType, Type};",
            "use crate::Berichtsoort;",
            "",
        ]
        for key in self.simple_order:
            out.append(f"pub(crate) static {key}: SimpleType = {self.simple[key]};\n")
        for key in self.complex_order:
            out.append(f"pub(crate) static {key}: ComplexType = {self.complex[key]};\n")
        patterns = sorted(self.patterns)
        out.append("/// Every pattern facet in the schemas, so that all can be compiled once.")
        out.append("pub(crate) static PATTERNS: &[&str] = &[")
        for p in patterns:
            out.append(f"    {rust_str(p)},")
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


if __name__ == "__main__":
    sys.stdout.write(Generator(Path(sys.argv[1])).run())
