//! `jeugdroute berichten verwerk | importeer | exporteer`: the iJw exchange from
//! the command line, for cron and for the folders of other systems.

use std::path::{Path, PathBuf};

use anyhow::Context;
use jeugdroute_app::{App, GgkUitkomst, Kanaal, Uitweg};

use crate::cli::{BerichtenCommand, ExporteerArgs, ImporteerArgs};
use crate::config::{Config, ConfigError};
use crate::{Stop, open, say};

pub(crate) async fn run(config: &Config, command: &BerichtenCommand) -> Result<(), Stop> {
    // What cannot be read is refused before the database is touched.
    match command {
        BerichtenCommand::Verwerk => with_app(config, verwerk).await,
        BerichtenCommand::Importeer(ImporteerArgs { ggk: Some(map), .. }) => {
            let bestanden = ggk_bestanden(map)?;
            with_app(config, async |app| {
                ggk_importeer(app, map, &bestanden).await
            })
            .await
        }
        BerichtenCommand::Importeer(ImporteerArgs { files, .. }) => {
            let berichten = lees_alle(files)?;
            with_app(config, async |app| importeer(app, files, &berichten).await).await
        }
        BerichtenCommand::Exporteer(args) => {
            let (uitweg, map, vlag) = match args {
                ExporteerArgs { ggk: Some(map), .. } => (Uitweg::Ggk, map, "--ggk"),
                ExporteerArgs { map: Some(map), .. } => (Uitweg::Map, map, "--map"),
                ExporteerArgs { .. } => {
                    return Err(ConfigError("geef --map MAP of --ggk MAP".into()).into());
                }
            };
            if !map.is_dir() {
                return Err(ConfigError(format!(
                    "{vlag}: {} bestaat niet of is geen map",
                    map.display()
                ))
                .into());
            }
            with_app(config, async |app| exporteer(app, uitweg, map).await).await
        }
    }
}

/// Opens the database, runs `command` and closes it again.
async fn with_app<F>(config: &Config, command: F) -> Result<(), Stop>
where
    F: AsyncFnOnce(&App) -> Result<(), Stop>,
{
    let app = open(config).await?;
    let outcome = command(&app).await;
    app.close().await;
    outcome
}

async fn verwerk(app: &App) -> Result<(), Stop> {
    let a = app
        .berichten_afhandelen(None)
        .await
        .context("berichten verwerken")?;
    let v = a.verwerking;
    say(format_args!(
        "Berichten afgehandeld: {} verwerkt, {} afgekeurd, {} onleesbaar, {} dubbel; \
         {} binnen deze installatie bezorgd.",
        v.verwerkt, v.afgekeurd, v.onleesbaar, v.dubbel, a.bezorgd
    ));
    Ok(())
}

/// A file of at most 25 MB, read whole. The bound holds while reading, not by the
/// size the file claims beforehand: a file that grows meanwhile, or one of the
/// kernel's that says it is empty, is refused after 25 MB and one byte.
fn lees(path: &Path) -> Result<Vec<u8>, String> {
    let name = path.display();
    let unreadable = |e: std::io::Error| format!("{name} kan niet gelezen worden: {e}");
    // Only a regular file: opening a pipe or a device could wait or read forever.
    if !std::fs::metadata(path).map_err(unreadable)?.is_file() {
        return Err(format!(
            "{name} kan niet gelezen worden: het is geen bestand"
        ));
    }
    let mut bytes = Vec::new();
    match crate::ijw_cli::read_message(path, &mut bytes).map_err(unreadable)? {
        Ok(()) => Ok(bytes),
        Err(size) => Err(format!(
            "{name} is {size} bytes; een bericht mag hoogstens 25 MB zijn"
        )),
    }
}

/// Every file read, or every reason why one could not be.
fn lees_alle(files: &[PathBuf]) -> Result<Vec<Vec<u8>>, Stop> {
    let (read, errors): (Vec<_>, Vec<_>) = files.iter().map(|f| lees(f)).partition(Result::is_ok);
    if !errors.is_empty() {
        let errors: Vec<String> = errors.into_iter().filter_map(Result::err).collect();
        return Err(ConfigError(format!("{}\nEr is niets ingelezen.", errors.join("\n"))).into());
    }
    Ok(read.into_iter().filter_map(Result::ok).collect())
}

async fn importeer(app: &App, files: &[PathBuf], berichten: &[Vec<u8>]) -> Result<(), Stop> {
    let ids = app
        .berichten_importeren(Kanaal::Map, berichten)
        .await
        .context("berichten in de inbox zetten")?;
    say(format_args!(
        "{} {} in de inbox gezet{}.",
        ids.len(),
        if ids.len() == 1 {
            "bericht"
        } else {
            "berichten"
        },
        match (ids.first(), ids.last()) {
            (Some(first), Some(last)) => format!(" (nummers {first} tot en met {last})"),
            _ => String::new(),
        }
    ));
    tracing::info!(files = files.len(), "files imported into the inbox");
    Ok(())
}

/// The files of the GGk's incoming folder, by name (subfolders and names
/// starting with a dot are passed over).
fn ggk_bestanden(map: &Path) -> Result<Vec<PathBuf>, Stop> {
    let entries = std::fs::read_dir(map).map_err(|e| {
        ConfigError(format!(
            "--ggk: {} kan niet gelezen worden: {e}",
            map.display()
        ))
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.context("de GGk-map lezen")?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if !hidden && entry.file_type().context("de GGk-map lezen")?.is_file() {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

/// Moves a handled file into `map/sub/`.
fn verplaats(map: &Path, sub: &str, file: &Path) -> Result<(), Stop> {
    let doel = map.join(sub);
    std::fs::create_dir_all(&doel).with_context(|| format!("{} maken", doel.display()))?;
    let name = file.file_name().unwrap_or_default();
    std::fs::rename(file, doel.join(name))
        .with_context(|| format!("{} verplaatsen naar {}", file.display(), doel.display()))?;
    Ok(())
}

async fn ggk_importeer(app: &App, map: &Path, files: &[PathBuf]) -> Result<(), Stop> {
    let mut gelezen = Vec::new();
    let mut onleesbaar = Vec::new();
    for file in files {
        match lees(file) {
            Ok(bytes) => gelezen.push((file, bytes)),
            Err(reden) => onleesbaar.push((file, reden)),
        }
    }
    let bytes: Vec<Vec<u8>> = gelezen.iter().map(|(_, b)| b.clone()).collect();
    let uitkomsten = app
        .ggk_importeren(&bytes)
        .await
        .context("enveloppen van het GGk inlezen")?;
    let (mut berichten, mut fouten, mut eerder) = (0, 0, 0);
    for ((file, _), uitkomst) in gelezen.iter().zip(uitkomsten) {
        match uitkomst {
            GgkUitkomst::Bericht(_) => berichten += 1,
            GgkUitkomst::Fout(_) => fouten += 1,
            GgkUitkomst::AlGelezen => eerder += 1,
            GgkUitkomst::Onleesbaar(reden) => {
                onleesbaar.push((file, reden));
                continue;
            }
        }
        verplaats(map, "ingelezen", file)?;
    }
    for (file, reden) in &onleesbaar {
        verplaats(map, "onleesbaar", file)?;
        say(format_args!("Onleesbaar: {}: {reden}", file.display()));
    }
    say(format_args!(
        "GGk: {berichten} berichten in de inbox, {fouten} routeringsfouten, {eerder} eerder gelezen, {} onleesbaar.",
        onleesbaar.len()
    ));
    if onleesbaar.is_empty() {
        Ok(())
    } else {
        Err(Stop::Rejected)
    }
}

async fn exporteer(app: &App, uitweg: Uitweg, map: &Path) -> Result<(), Stop> {
    let uitvoer = app
        .berichten_exporteren(uitweg, map)
        .await
        .context("berichten uitschrijven")?;
    for reden in &uitvoer.overgeslagen {
        say(format_args!("Niet geschreven: {reden}"));
    }
    say(format_args!(
        "{} berichten geschreven naar {}.",
        uitvoer.geschreven,
        map.display()
    ));
    Ok(())
}
