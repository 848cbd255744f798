//! The region's data behind two checks of the melding: its gecertificeerde
//! instellingen (who holds the regie in the forced framework) and which gemeente
//! each four-digit postcode area belongs to (the woonplaatsbeginsel).

use jeugdroute_domain::{AgbCode, Gemeentecode, Gi};

use crate::store::on_tx;
use crate::{Result, Tx};

impl Tx {
    /// Inserts the GI unless its AGB code is known; answers whether it inserted.
    pub async fn insert_gi(&mut self, gi: &Gi) -> Result<bool> {
        let inserted: u64 = on_tx!(self, |conn| {
            sqlx::query("INSERT INTO gi (agb_code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(gi.agb.as_str())
                .bind(&gi.name)
                .execute(&mut *conn)
                .await?
                .rows_affected()
        });
        Ok(inserted == 1)
    }

    /// The region's GIs, by name.
    pub async fn gis(&mut self) -> Result<Vec<Gi>> {
        let rows: Vec<(String, String)> = on_tx!(self, |conn| {
            sqlx::query_as("SELECT agb_code, name FROM gi ORDER BY name")
                .fetch_all(&mut *conn)
                .await?
        });
        rows.into_iter()
            .map(|(agb, name)| {
                Ok(Gi {
                    agb: AgbCode::parse(&agb)?,
                    name,
                })
            })
            .collect()
    }

    /// Records that postcode area `pc4` (partly) lies in `gemeente`.
    pub async fn insert_postcodegebied(&mut self, pc4: u16, gemeente: &Gemeentecode) -> Result<()> {
        on_tx!(self, |conn| {
            sqlx::query(
                "INSERT INTO postcodegebied (pc4, gemeente_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(i32::from(pc4))
            .bind(gemeente.as_str())
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// The gemeenten postcode area `pc4` lies in: none when it is outside the region.
    pub async fn gemeenten_van_pc4(&mut self, pc4: u16) -> Result<Vec<Gemeentecode>> {
        let codes: Vec<String> = on_tx!(self, |conn| {
            sqlx::query_scalar(
                "SELECT gemeente_code FROM postcodegebied WHERE pc4 = $1 ORDER BY gemeente_code",
            )
            .bind(i32::from(pc4))
            .fetch_all(&mut *conn)
            .await?
        });
        codes.iter().map(|c| Ok(Gemeentecode::parse(c)?)).collect()
    }
}
