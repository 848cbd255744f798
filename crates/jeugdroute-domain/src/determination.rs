//! Steps 2 to 5a of the 7-step plan as a rule engine: from the chosen
//! arrangement and intensity, and where the catalogue asks for it the answers to
//! the segment check, to an arrangement code or the verdict "segment 3". Every
//! outcome comes with all its reasons, so a worker, a family and an auditor can
//! see which rule gave which result.

use std::fmt;

use crate::{Catalogue, Hours, Intensiteit, Productcode};

/// The answers to step 5a. `SegmentAnswers::default()` means: answered, and none
/// of the features of segment 3 applies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SegmentAnswers {
    /// Intramural care (day or 24/7).
    pub intramuraal: bool,
    /// Hours of ambulant treatment needed for the result.
    pub behandeling: Option<Hours>,
    /// Hours of individual ambulant guidance needed for the result.
    pub begeleiding: Option<Hours>,
    /// Dagdelen of group guidance needed for the result.
    pub dagdelen: Option<u32>,
    /// A tariff that does not fit segment 2 (confirmed with the contract manager).
    pub tarief_buiten_segment_2: bool,
}

/// What the worker chose, and the segment answers if given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeterminationInput {
    pub arrangement: u8,
    pub intensiteit: Intensiteit,
    pub segment: Option<SegmentAnswers>,
}

/// The result of a determination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The arrangement code to allocate (step 5).
    Code(Productcode),
    /// Highly specialist care: use a code from the region's segment-3 list (step 5a).
    Segment3,
    /// The intensity is marked `*`: the segment check must be answered first.
    SegmentCheckNeeded,
}

/// One reason behind an outcome: a stable code, a Dutch explanation, and the rule
/// it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub code: &'static str,
    pub text: String,
    pub source: &'static str,
}

/// A determination with all its reasons and the catalogue version it used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Determination {
    pub arrangement: u8,
    pub arrangement_name: String,
    pub intensiteit: Intensiteit,
    pub outcome: Outcome,
    pub reasons: Vec<Reason>,
    pub catalogue_version: String,
}

impl Determination {
    /// The arrangement code, when the outcome is one.
    pub fn code(&self) -> Option<&Productcode> {
        match &self.outcome {
            Outcome::Code(code) => Some(code),
            Outcome::Segment3 | Outcome::SegmentCheckNeeded => None,
        }
    }
}

/// The arrangement is not in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("arrangement {number} bestaat niet in catalogus {version}: kies {range}")]
pub struct UnknownArrangement {
    pub number: u8,
    pub version: String,
    pub range: String,
}

const STEP_2: &str = "7-stappenplan, stap 2";
const STEP_4: &str = "7-stappenplan, stap 4";
const STEP_5: &str = "7-stappenplan, stap 5";
const STEP_5A: &str = "7-stappenplan, stap 5a";

fn reason(code: &'static str, source: &'static str, text: String) -> Reason {
    Reason { code, text, source }
}

impl Catalogue {
    /// Determines the outcome for `input`. Refused only when the arrangement does
    /// not exist; every other situation is an outcome with its reasons.
    pub fn determine(
        &self,
        input: &DeterminationInput,
    ) -> Result<Determination, UnknownArrangement> {
        let arrangement =
            self.arrangement(input.arrangement)
                .ok_or_else(|| UnknownArrangement {
                    number: input.arrangement,
                    version: self.version.clone(),
                    range: self.arrangement_range(),
                })?;
        let intensiteit = input.intensiteit;
        let needs_check = self
            .intensiteit(intensiteit)
            .is_some_and(|r| r.segment_check);
        let mut reasons = vec![
            reason(
                "ARRANGEMENT",
                STEP_2,
                format!(
                    "Gekozen arrangement {}: {}.",
                    arrangement.number, arrangement.name
                ),
            ),
            reason(
                "INTENSITEIT",
                STEP_4,
                format!("Gekozen intensiteit: {}.", intensiteit.label()),
            ),
        ];
        let code = arrangement.code(intensiteit).cloned();
        // Rule: seed 002 step 5 — intensities marked * (Zwaar, Chronisch) go to step 5a.
        let outcome = match (needs_check, input.segment) {
            (false, answers) => {
                reasons.push(reason(
                    "GEEN_SEGMENTCHECK",
                    STEP_5,
                    format!("Bij intensiteit {} hoort geen * in de codetabel: de segmentcheck is niet nodig.", intensiteit.label()),
                ));
                if answers.is_some_and(|a| a != SegmentAnswers::default()) {
                    reasons.push(reason(
                        "SEGMENTANTWOORDEN_NIET_GEBRUIKT",
                        STEP_5,
                        "De antwoorden op de segmentvragen tellen bij deze intensiteit niet mee."
                            .to_owned(),
                    ));
                }
                code_outcome(code, arrangement.number, intensiteit, &mut reasons)
            }
            (true, None) => {
                reasons.push(reason(
                    "SEGMENTCHECK_NODIG",
                    STEP_5,
                    format!(
                        "Bij intensiteit {} hoort een * in de codetabel: beantwoord eerst de segmentvragen (stap 5a). \
                         Pas daarna staat de code vast.",
                        intensiteit.label()
                    ),
                ));
                Outcome::SegmentCheckNeeded
            }
            (true, Some(answers)) => {
                if self.segment3_reasons(&answers, &mut reasons) {
                    reasons.push(reason(
                        "SEGMENT3",
                        STEP_5A,
                        "Dit is hoogspecialistische jeugdhulp (segment 3). Gebruik een productcode uit de regionale \
                         lijst voor hoogspecialistische jeugdhulp, niet de arrangementscode."
                            .to_owned(),
                    ));
                    Outcome::Segment3
                } else {
                    reasons.push(reason(
                        "GEEN_SEGMENT3",
                        STEP_5A,
                        "Geen enkel kenmerk van segment 3 is van toepassing: de arrangementscode geldt.".to_owned(),
                    ));
                    code_outcome(code, arrangement.number, intensiteit, &mut reasons)
                }
            }
        };
        Ok(Determination {
            arrangement: arrangement.number,
            arrangement_name: arrangement.name.clone(),
            intensiteit,
            outcome,
            reasons,
            catalogue_version: self.version.clone(),
        })
    }

    /// Adds a reason for every segment-3 feature that was answered; true when at
    /// least one applies. Rule: seed 002 step 5a — each threshold is "more than".
    fn segment3_reasons(&self, answers: &SegmentAnswers, reasons: &mut Vec<Reason>) -> bool {
        let limits = self.segment3;
        let mut applies = false;
        let mut add = |hit: bool, code: &'static str, text: String| {
            applies |= hit;
            reasons.push(reason(code, STEP_5A, text));
        };
        if answers.intramuraal {
            add(
                true,
                "SEGMENT3_INTRAMURAAL",
                "Het gaat om intramurale jeugdhulp (dag of 24 uur per dag).".to_owned(),
            );
        }
        if let Some(hours) = answers.behandeling {
            let hit = hours > limits.behandeling;
            let code = if hit {
                "SEGMENT3_BEHANDELING"
            } else {
                "BEHANDELING_BINNEN_SEGMENT2"
            };
            add(
                hit,
                code,
                comparison("Ambulante behandeling", &hours, &limits.behandeling, hit),
            );
        }
        if let Some(hours) = answers.begeleiding {
            let hit = hours > limits.begeleiding;
            let code = if hit {
                "SEGMENT3_BEGELEIDING"
            } else {
                "BEGELEIDING_BINNEN_SEGMENT2"
            };
            add(
                hit,
                code,
                comparison(
                    "Individuele ambulante begeleiding",
                    &hours,
                    &limits.begeleiding,
                    hit,
                ),
            );
        }
        if let Some(dagdelen) = answers.dagdelen {
            let hit = dagdelen > limits.dagdelen;
            let code = if hit {
                "SEGMENT3_DAGDELEN"
            } else {
                "DAGDELEN_BINNEN_SEGMENT2"
            };
            let text = format!(
                "Groepsbegeleiding van {dagdelen} dagdelen is {}meer dan {} dagdelen.",
                if hit { "" } else { "niet " },
                limits.dagdelen
            );
            add(hit, code, text);
        }
        if answers.tarief_buiten_segment_2 {
            add(
                true,
                "SEGMENT3_TARIEF",
                "Het tarief past niet binnen segment 2 (afgestemd met de contractmanager)."
                    .to_owned(),
            );
        }
        applies
    }

    fn arrangement_range(&self) -> String {
        match (self.arrangementen().first(), self.arrangementen().last()) {
            (Some(first), Some(last)) => format!("{} tot en met {}", first.number, last.number),
            _ => "een arrangement uit de catalogus".to_owned(),
        }
    }
}

fn comparison(what: &str, hours: &Hours, limit: &Hours, hit: bool) -> String {
    format!(
        "{what} van {hours} is {}meer dan {limit}.",
        if hit { "" } else { "niet " }
    )
}

fn code_outcome(
    code: Option<Productcode>,
    arrangement: u8,
    intensiteit: Intensiteit,
    reasons: &mut Vec<Reason>,
) -> Outcome {
    match code {
        Some(code) => {
            reasons.push(reason(
                "CODE",
                STEP_5,
                format!(
                    "De arrangementscode is {code}: arrangement {arrangement} met intensiteit {}.",
                    intensiteit.label()
                ),
            ));
            Outcome::Code(code)
        }
        // A checked catalogue has every code; this keeps the engine total anyway.
        None => {
            reasons.push(reason(
                "SEGMENTCHECK_NODIG",
                STEP_5,
                "De codetabel heeft hier geen code.".to_owned(),
            ));
            Outcome::SegmentCheckNeeded
        }
    }
}

impl fmt::Display for Determination {
    /// A readable Dutch explanation, as the CLI prints it and a letter can quote it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Arrangement {} ({}), intensiteit {}",
            self.arrangement,
            self.arrangement_name,
            self.intensiteit.label()
        )?;
        match &self.outcome {
            Outcome::Code(code) => writeln!(f, "Uitkomst: arrangementscode {code}")?,
            Outcome::Segment3 => {
                writeln!(f, "Uitkomst: hoogspecialistische jeugdhulp (segment 3)")?;
            }
            Outcome::SegmentCheckNeeded => {
                writeln!(f, "Uitkomst: nog geen code, eerst de segmentcheck")?;
            }
        }
        writeln!(f, "Waarom:")?;
        for r in &self.reasons {
            writeln!(f, "- {} [{}; {}]", r.text, r.code, r.source)?;
        }
        write!(f, "Catalogus: {}", self.catalogue_version)
    }
}
