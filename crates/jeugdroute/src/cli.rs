//! The command line as typed: parsed by clap, checked into a `Config` afterwards.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use jeugdroute_domain::{Hours, Intensiteit};

/// Jeugdroute: toegang tot jeugdhulp, van eerste vraag tot toewijzing.
#[derive(Debug, Parser)]
#[command(name = "jeugdroute", version, about, long_about = None)]
pub struct Cli {
    /// Optioneel configuratiebestand (TOML) met addr, database, data_dir, log en public_url.
    #[arg(long, global = true, env = "JEUGDROUTE_CONFIG", value_name = "BESTAND")]
    pub config: Option<PathBuf>,

    /// Catalogus van de regio (TOML): arrangementen, intensiteiten, codes, drempels en tarieven.
    /// Zonder deze optie geldt de ingebouwde catalogus (7-stappenplan).
    #[arg(
        long,
        global = true,
        env = "JEUGDROUTE_CATALOGUS",
        value_name = "BESTAND"
    )]
    pub catalogus: Option<PathBuf>,

    /// Map voor de gegevens (de SQLite-database als er geen --database is).
    #[arg(long, global = true, env = "JEUGDROUTE_DATA_DIR", value_name = "MAP")]
    pub data_dir: Option<PathBuf>,

    /// Sleutelbestand van het auditlog (64 hexadecimale tekens). Moet bestaan.
    /// Zonder deze optie: audit.sleutel in de datamap, bij de eerste start gemaakt.
    #[arg(
        long,
        global = true,
        env = "JEUGDROUTE_AUDIT_SLEUTEL",
        value_name = "BESTAND"
    )]
    pub audit_sleutel: Option<PathBuf>,

    /// Getuigebestand van het auditlog: na elke vastlegging wordt de kop van de
    /// keten hieraan toegevoegd. Standaard naast de SQLite-database
    /// (jeugdroute.getuige), bij PostgreSQL audit-getuige.log in de datamap.
    #[arg(
        long,
        global = true,
        env = "JEUGDROUTE_AUDIT_GETUIGE",
        value_name = "BESTAND"
    )]
    pub audit_getuige: Option<PathBuf>,

    /// Welke logregels getoond worden, bijvoorbeeld "info" of "debug,sqlx=warn".
    #[arg(long, global = true, env = "JEUGDROUTE_LOG", value_name = "FILTER")]
    pub log: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start de webapplicatie.
    Serve(ServeArgs),
    /// Breng het databaseschema bij (de webapplicatie doet dit ook bij het starten).
    Migrate(MigrateArgs),
    /// Bepaal de arrangementscode uit arrangement en intensiteit, met de segmentcheck (stap 5a).
    Bepaal(BepaalArgs),
    /// Werken met iJw 3.2-berichten (JW301 … JW325).
    Ijw(IjwArgs),
    /// Laad de demoregio (regio Amersfoort) in een bestaande database. Twee keer laden verandert niets.
    Demo(DemoArgs),
    /// Het auditlog: de keten controleren of de kop tonen om buiten de server te bewaren.
    Audit(AuditArgs),
    /// Het iJw-berichtenverkeer: de inbox verwerken, berichten inlezen en uitschrijven.
    Berichten(BerichtenArgs),
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Voeg daarna zoveel verzonnen casussen toe, in bulk (voor een proef met veel
    /// gegevens): gezinnen, jeugdigen met geldige BSN's, casussen in elke fase, matches,
    /// toewijzingen met hun JW301 en auditregels. Een tweede keer voegt er weer zoveel bij.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub casussen: Option<u64>,

    /// Startgetal voor het verzinnen (bij --casussen): hetzelfde getal geeft dezelfde gegevens.
    #[arg(long, value_name = "S", requires = "casussen", default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct BerichtenArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,

    #[command(subcommand)]
    pub command: BerichtenCommand,
}

#[derive(Debug, Subcommand)]
pub enum BerichtenCommand {
    /// Bezorg de berichten binnen deze installatie en verwerk de inbox tot er niets
    /// meer wacht, één keer (bijvoorbeeld vanuit cron). De webapplicatie doet dit
    /// doorlopend.
    Verwerk,
    /// Zet berichten uit bestanden in de inbox: alle bestanden of geen enkel. Met
    /// --ggk: lees de enveloppen (Di01, Du01, Fo01) uit de inkomende map van het GGk.
    Importeer(ImporteerArgs),
    /// Schrijf de uitgaande berichten aan partijen buiten deze installatie naar een
    /// map, elk als bestand, en markeer ze als verstuurd.
    Exporteer(ExporteerArgs),
}

#[derive(Debug, Args)]
pub struct ImporteerArgs {
    /// De inkomende map van het GGk: elk bestand is een StUF-GGk-envelop. Gelezen
    /// bestanden gaan naar de submap ingelezen/, onleesbare naar onleesbaar/.
    #[arg(long, value_name = "MAP", conflicts_with = "files")]
    pub ggk: Option<PathBuf>,

    /// De berichten (XML-bestanden, elk hoogstens 25 MB).
    #[arg(value_name = "BESTAND", required_unless_present = "ggk")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct ExporteerArgs {
    /// Schrijf de berichten zoals ze zijn, als TYPE_AFZENDER_IDENTIFICATIE.xml.
    #[arg(long, value_name = "MAP")]
    pub map: Option<PathBuf>,

    /// Schrijf de berichten van de gemeenten in de StUF-GGk-envelop (Di01, of Du01
    /// voor een antwoord), voor de uitgaande map van het GGk.
    #[arg(long, value_name = "MAP")]
    pub ggk: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,

    /// PostgreSQL: geef deze rol (de verbinding van de applicatie) zijn rechten:
    /// lezen en schrijven op alle tabellen, maar op het auditlog alleen INSERT en SELECT.
    #[arg(long, value_name = "ROL")]
    pub app_rol: Option<String>,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,

    #[command(subcommand)]
    pub command: AuditCommand,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Controleer de hele keten tegen sleutel en getuige.
    /// Exitcode 0: compleet; 1: een regel klopt niet (die wordt genoemd).
    Verifieer,
    /// Toon de kop van de keten (regel, MAC en tijd) om buiten de server te bewaren.
    Anker,
}

#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// sqlite://PAD of postgres://GEBRUIKER@HOST:POORT/DATABASE (standaard: een SQLite-bestand in de datamap).
    #[arg(
        long,
        env = "JEUGDROUTE_DATABASE",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub database: Option<String>,

    /// Verbinding voor de migraties, als eigenaar van het schema (PostgreSQL). Dan
    /// verbindt de applicatie met --database als een rol die op het auditlog alleen
    /// mag toevoegen en lezen, en migreert zij zelf niets.
    #[arg(
        long,
        env = "JEUGDROUTE_MIGRATIE_DATABASE",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub migratie_database: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Adres en poort om op te luisteren.
    #[arg(long, env = "JEUGDROUTE_ADDR", value_name = "ADRES:POORT")]
    pub addr: Option<SocketAddr>,

    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Het openbare adres waarop mensen Jeugdroute bereiken, bijvoorbeeld https://jeugdroute.regio.nl.
    /// Met https: cookies met het voorvoegsel __Host- en Secure, en HSTS op elk antwoord.
    #[arg(long, env = "JEUGDROUTE_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    /// Start op een nieuwe SQLite-database met de demoregio en demo-accounts (wachtwoord "demo").
    /// Een ingestelde database wordt dan niet gebruikt.
    #[arg(long)]
    pub demo: bool,
}

/// The answers of steps 2, 4 and 5a of the 7-step plan.
#[derive(Debug, Args)]
pub struct BepaalArgs {
    /// Het arrangement uit stap 2 (1 tot en met 9).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=9))]
    pub arrangement: u8,

    /// De intensiteit uit stap 4: licht, midden, zwaar, doorlopend of chronisch.
    #[arg(long, value_name = "INTENSITEIT", value_parser = parse_intensiteit)]
    pub intensiteit: Intensiteit,

    /// Segmentcheck: het gaat om intramurale jeugdhulp (dag of 24 uur per dag).
    #[arg(long)]
    pub intramuraal: bool,

    /// Segmentcheck: uren ambulante behandeling die nodig zijn voor het resultaat.
    #[arg(long, value_name = "UREN", allow_hyphen_values = true, value_parser = parse_hours)]
    pub behandeluren: Option<Hours>,

    /// Segmentcheck: uren individuele ambulante begeleiding.
    #[arg(long, value_name = "UREN", allow_hyphen_values = true, value_parser = parse_hours)]
    pub begeleidingsuren: Option<Hours>,

    /// Segmentcheck: dagdelen groepsbegeleiding.
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = parse_dagdelen)]
    pub dagdelen: Option<u32>,

    /// Segmentcheck: het tarief past niet binnen segment 2 (afgestemd met de contractmanager).
    #[arg(long)]
    pub tarief_buiten_segment_2: bool,

    /// Segmentcheck beantwoord: geen enkel kenmerk van segment 3 is van toepassing.
    #[arg(long, conflicts_with_all = ["intramuraal", "behandeluren", "begeleidingsuren", "dagdelen", "tarief_buiten_segment_2"])]
    pub geen_segment3: bool,

    /// Geef de uitkomst als één JSON-object.
    #[arg(long)]
    pub json: bool,
}

fn parse_intensiteit(text: &str) -> Result<Intensiteit, String> {
    text.parse()
        .map_err(|e: jeugdroute_domain::ParseError| e.message)
}

fn parse_hours(text: &str) -> Result<Hours, String> {
    text.parse()
        .map_err(|e: jeugdroute_domain::ParseError| e.message)
}

fn parse_dagdelen(text: &str) -> Result<u32, String> {
    text.trim().parse().map_err(|_| {
        format!("'{text}' is geen geldig aantal dagdelen: gebruik een heel getal van 0 of meer.")
    })
}

#[derive(Debug, Args)]
pub struct IjwArgs {
    #[command(subcommand)]
    pub command: IjwCommand,
}

#[derive(Debug, Subcommand)]
pub enum IjwCommand {
    /// Controleer berichten op XML, XSD en de regels binnen het bericht.
    /// Exitcode 0: alles geldig; 1: een of meer ongeldig; 2: verkeerd gebruik.
    Valideer(ValideerArgs),
    /// Maak het retourbericht (of voor een JW323 het declaratie-antwoord JW325) bij een bericht.
    Retour(RetourArgs),
    /// Toon een realistisch, geldig voorbeeld van een bericht, bijvoorbeeld JW301.
    Voorbeeld {
        /// JW301, JW302, JW305, …, JW325.
        #[arg(value_name = "BERICHT", value_parser = parse_berichtsoort)]
        bericht: ijw::Berichtsoort,
    },
}

fn parse_berichtsoort(text: &str) -> Result<ijw::Berichtsoort, String> {
    text.parse().map_err(|e: ijw::UnknownMessage| e.to_string())
}

#[derive(Debug, Args)]
pub struct ValideerArgs {
    /// Geef per bestand een JSON-object (een lijst bij meer bestanden).
    #[arg(long)]
    pub json: bool,

    /// De berichten (XML-bestanden).
    #[arg(required = true, value_name = "BESTAND")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RetourArgs {
    /// Het bericht (XML-bestand) waarop geantwoord wordt.
    #[arg(value_name = "BESTAND")]
    pub file: PathBuf,

    /// Schrijf het retourbericht naar dit bestand in plaats van naar het scherm.
    #[arg(short, long, value_name = "UIT")]
    pub output: Option<PathBuf>,

    /// IdentificatieRetour (hoogstens 12 tekens); standaard de huidige datum en tijd.
    #[arg(long, value_name = "ID")]
    pub identificatie: Option<String>,
}
