//! Element names and namespaces without an allocation each. Nearly every name in
//! an iJw message is one the schemas declare, and every namespace one of a handful,
//! so the reader hands out a shared `&'static str` for those and owns a copy only of
//! a name it has never heard of (an envelope's, or a wrong one).

use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Deref;
use std::sync::LazyLock;

use crate::schema::tables;
use crate::schema::{ComplexType, Type};
use crate::{BASISSCHEMA_NAMESPACE, Berichtsoort};

/// A local name or a namespace URI: compared, printed and borrowed as a `&str`.
#[derive(Debug, Clone, Eq, PartialOrd, Ord, Default)]
pub struct Name(Cow<'static, str>);

/// Equal text. A shared name is the very `&'static str` of the schema tables, so
/// a name is mostly compared with itself: the same address and length, found
/// without reading the bytes (a namespace is some sixty of them). Names of the
/// same length mostly differ in their first or last letter, which is looked at
/// before the whole text is.
fn same(a: &str, b: &str) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    std::ptr::eq(a, b)
        || (x.len() == y.len() && x.first() == y.first() && x.last() == y.last() && x == y)
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        same(&self.0, &other.0)
    }
}

/// By the text, as equality compares.
impl std::hash::Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Name {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A name the schemas or the envelopes know, shared; any other, copied.
    pub(crate) fn interned(text: &str) -> Name {
        match KNOWN.get(text) {
            Some(known) => Name(Cow::Borrowed(known)),
            None => Name(Cow::Owned(text.to_owned())),
        }
    }
}

impl Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Self {
        Name::interned(text)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Self {
        match KNOWN.get(text.as_str()) {
            Some(known) => Name(Cow::Borrowed(known)),
            None => Name(Cow::Owned(text)),
        }
    }
}

impl From<Name> for String {
    fn from(name: Name) -> Self {
        name.0.into_owned()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        same(&self.0, other)
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        same(&self.0, other)
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        same(self, &other.0)
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        same(self, &other.0)
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

/// A hash after FNV-1a, eight bytes at a time. The set it serves is fixed (the
/// schemas' names) and never grows from input, so a plain fast hash will do: a
/// name the set does not hold costs a probe and a copy, never more.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    /// Eight bytes at a time: namespaces are some sixty bytes long.
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut eight = [0; 8];
            eight.copy_from_slice(word);
            hash = (hash ^ u64::from_le_bytes(eight)).wrapping_mul(0x0100_0000_01b3);
            hash ^= hash >> 29;
        }
        for byte in words.remainder() {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// Every element name and namespace of the fourteen messages' schemas, and the
/// namespaces of the StUF-GGk envelope.
static KNOWN: LazyLock<HashSet<&'static str, BuildHasherDefault<Fnv>>> = LazyLock::new(|| {
    let mut known = HashSet::default();
    let mut seen: Vec<*const ComplexType> = Vec::new();
    let mut todo: Vec<&'static ComplexType> = Berichtsoort::ALL
        .iter()
        .map(|soort| tables::root_type(*soort))
        .collect();
    while let Some(ty) = todo.pop() {
        if seen.contains(&std::ptr::from_ref(ty)) {
            continue;
        }
        seen.push(ty);
        known.insert(ty.namespace);
        for particle in ty.particles {
            known.insert(particle.name);
            if let Type::Complex(inner) = particle.ty {
                todo.push(inner);
            }
        }
    }
    // After the tables', so that a name the tables hold is shared as the tables'
    // own text, which the schema check then compares by its address alone.
    known.insert("Bericht");
    known.insert(BASISSCHEMA_NAMESPACE);
    known.insert(crate::envelop::GGK_NAMESPACE);
    known.insert(crate::envelop::STUF_NAMESPACE);
    known
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_are_shared_and_others_copied() {
        assert!(matches!(Name::interned("Bericht").0, Cow::Borrowed(_)));
        assert!(matches!(Name::interned("Bsn").0, Cow::Borrowed(_)));
        let jw301 = Berichtsoort::Jw301.namespace();
        assert!(matches!(Name::interned(&jw301).0, Cow::Borrowed(_)));
        assert!(matches!(
            Name::interned(BASISSCHEMA_NAMESPACE).0,
            Cow::Borrowed(_)
        ));
        let other = Name::interned("Onbekend");
        assert!(matches!(other.0, Cow::Owned(_)));
        assert_eq!(other, "Onbekend");
        assert_eq!("Onbekend", other);
        assert_eq!(other.as_str(), "Onbekend");
        assert_eq!(Name::from("Bsn".to_owned()), Name::interned("Bsn"));
    }
}
