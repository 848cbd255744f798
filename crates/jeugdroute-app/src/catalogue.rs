//! Reading a regional catalogue from its TOML text into the domain's checked
//! [`Catalogue`]: the default one embedded in the domain crate, or a region's own.

use jeugdroute_domain::{Catalogue, CatalogueDefinition, DEFAULT_CATALOGUE};

use crate::AppError;

/// Parses and checks a catalogue; the error lists every problem with its field.
pub fn parse_catalogue(text: &str) -> Result<Catalogue, AppError> {
    let definition: CatalogueDefinition = toml::from_str(text)
        .map_err(|e| AppError::Invalid(format!("catalogus: {}", e.message())))?;
    Catalogue::from_definition(definition).map_err(|e| AppError::Invalid(e.to_string()))
}

/// The catalogue shipped with Jeugdroute (the 7-step plan of seed 002).
pub fn default_catalogue() -> Result<Catalogue, AppError> {
    parse_catalogue(DEFAULT_CATALOGUE)
}
