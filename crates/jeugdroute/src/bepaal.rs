//! `jeugdroute bepaal`: the arrangement determination for scripts and checks,
//! printed as a readable Dutch explanation or as one JSON object.

use jeugdroute_domain::{Catalogue, Determination, DeterminationInput, Outcome, SegmentAnswers};
use serde_json::json;

use crate::cli::BepaalArgs;

/// The segment answers, when any was given (`--geen-segment3` answers "none").
fn segment_answers(args: &BepaalArgs) -> Option<SegmentAnswers> {
    let answers = SegmentAnswers {
        intramuraal: args.intramuraal,
        behandeling: args.behandeluren,
        begeleiding: args.begeleidingsuren,
        dagdelen: args.dagdelen,
        tarief_buiten_segment_2: args.tarief_buiten_segment_2,
    };
    (args.geen_segment3 || answers != SegmentAnswers::default()).then_some(answers)
}

/// Determines and renders; an arrangement the catalogue lacks is a usage error
/// naming `--arrangement`.
pub fn bepaal(catalogue: &Catalogue, args: &BepaalArgs) -> Result<String, String> {
    let input = DeterminationInput {
        arrangement: args.arrangement,
        intensiteit: args.intensiteit,
        segment: segment_answers(args),
    };
    let determination = catalogue
        .determine(&input)
        .map_err(|e| format!("--arrangement: {e}"))?;
    Ok(if args.json {
        as_json(&determination)
    } else {
        determination.to_string()
    })
}

fn as_json(d: &Determination) -> String {
    let reasons: Vec<_> = d
        .reasons
        .iter()
        .map(|r| json!({ "code": r.code, "tekst": r.text }))
        .collect();
    json!({
        "arrangement": d.arrangement,
        "intensiteit": d.intensiteit.key(),
        "code": d.code().map(|c| c.as_str()),
        "segment3": d.outcome == Outcome::Segment3,
        "segmentcheck_nodig": d.outcome == Outcome::SegmentCheckNeeded,
        "redenen": reasons,
    })
    .to_string()
}
