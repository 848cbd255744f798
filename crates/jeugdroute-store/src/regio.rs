//! The region, its gemeenten, providers and contracts. One installation serves one
//! region. Every `*_vastleggen` inserts when absent and leaves an existing row
//! alone, returning whether it inserted, so loading the same data twice is a no-op.

use chrono::NaiveDate;
use jeugdroute_domain::{
    Aanbieder, AgbCode, Contract, Gemeente, Gemeentecode, Productcategorie, Productcode, Regio,
};

use crate::store::on_tx;
use crate::{Result, Tx};

#[derive(sqlx::FromRow)]
struct RegioRij {
    code: String,
    naam: String,
}

#[derive(sqlx::FromRow)]
struct GemeenteRij {
    cbs_code: String,
    naam: String,
}

#[derive(sqlx::FromRow)]
struct AanbiederRij {
    agb_code: String,
    naam: String,
    plaats: String,
}

#[derive(sqlx::FromRow)]
struct ContractRij {
    aanbieder_agb: String,
    productcategorie: String,
    productcode: String,
    ingangsdatum: NaiveDate,
    einddatum: Option<NaiveDate>,
    tarief_cent: i64,
    eenheid: String,
}

impl TryFrom<ContractRij> for Contract {
    type Error = crate::StoreError;

    fn try_from(rij: ContractRij) -> Result<Self> {
        Ok(Contract {
            aanbieder: AgbCode::parse(&rij.aanbieder_agb)?,
            productcategorie: Productcategorie::parse(&rij.productcategorie)?,
            productcode: Productcode::parse(&rij.productcode)?,
            ingangsdatum: rij.ingangsdatum,
            einddatum: rij.einddatum,
            tarief_cent: rij.tarief_cent,
            eenheid: rij.eenheid,
        })
    }
}

impl Tx {
    pub async fn regio_vastleggen(&mut self, regio: &Regio) -> Result<bool> {
        on_tx!(self, |conn| {
            let done = sqlx::query(
                "INSERT INTO regio (code, naam) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(&regio.code)
            .bind(&regio.naam)
            .execute(&mut *conn)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// The region this installation serves, if one was set up.
    pub async fn regio(&mut self) -> Result<Option<Regio>> {
        let rij: Option<RegioRij> = on_tx!(self, |conn| {
            sqlx::query_as("SELECT code, naam FROM regio ORDER BY code LIMIT 1")
                .fetch_optional(&mut *conn)
                .await?
        });
        Ok(rij.map(|r| Regio {
            code: r.code,
            naam: r.naam,
        }))
    }

    pub async fn gemeente_vastleggen(
        &mut self,
        regio_code: &str,
        gemeente: &Gemeente,
    ) -> Result<bool> {
        on_tx!(self, |conn| {
            let done = sqlx::query(
                "INSERT INTO gemeente (cbs_code, naam, regio_code) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(gemeente.code.as_str())
            .bind(&gemeente.naam)
            .bind(regio_code)
            .execute(&mut *conn)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// All gemeenten, by name.
    pub async fn gemeenten(&mut self) -> Result<Vec<Gemeente>> {
        let rijen: Vec<GemeenteRij> = on_tx!(self, |conn| {
            sqlx::query_as("SELECT cbs_code, naam FROM gemeente ORDER BY naam")
                .fetch_all(&mut *conn)
                .await?
        });
        rijen
            .into_iter()
            .map(|r| {
                Ok(Gemeente {
                    code: Gemeentecode::parse(&r.cbs_code)?,
                    naam: r.naam,
                })
            })
            .collect()
    }

    pub async fn aanbieder_vastleggen(&mut self, aanbieder: &Aanbieder) -> Result<bool> {
        on_tx!(self, |conn| {
            let done = sqlx::query(
                "INSERT INTO aanbieder (agb_code, naam, plaats) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(aanbieder.agb.as_str())
            .bind(&aanbieder.naam)
            .bind(&aanbieder.plaats)
            .execute(&mut *conn)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// All providers, by name.
    pub async fn aanbieders(&mut self) -> Result<Vec<Aanbieder>> {
        let rijen: Vec<AanbiederRij> = on_tx!(self, |conn| {
            sqlx::query_as("SELECT agb_code, naam, plaats FROM aanbieder ORDER BY naam")
                .fetch_all(&mut *conn)
                .await?
        });
        rijen
            .into_iter()
            .map(|r| {
                Ok(Aanbieder {
                    agb: AgbCode::parse(&r.agb_code)?,
                    naam: r.naam,
                    plaats: r.plaats,
                })
            })
            .collect()
    }

    pub async fn contract_vastleggen(
        &mut self,
        regio_code: &str,
        contract: &Contract,
    ) -> Result<bool> {
        on_tx!(self, |conn| {
            let done = sqlx::query(
                "INSERT INTO contract (regio_code, aanbieder_agb, productcategorie, productcode, \
                 ingangsdatum, einddatum, tarief_cent, eenheid) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
            )
            .bind(regio_code)
            .bind(contract.aanbieder.as_str())
            .bind(contract.productcategorie.as_str())
            .bind(contract.productcode.as_str())
            .bind(contract.ingangsdatum)
            .bind(contract.einddatum)
            .bind(contract.tarief_cent)
            .bind(&contract.eenheid)
            .execute(&mut *conn)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// The contracts that allow delivering `productcode` on `datum`, by provider.
    pub async fn contracten_voor(
        &mut self,
        productcode: &Productcode,
        datum: NaiveDate,
    ) -> Result<Vec<Contract>> {
        let rijen: Vec<ContractRij> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT aanbieder_agb, productcategorie, productcode, ingangsdatum, einddatum, tarief_cent, eenheid \
                 FROM contract WHERE productcode = $1 AND ingangsdatum <= $2 \
                 AND (einddatum IS NULL OR einddatum >= $2) ORDER BY aanbieder_agb",
            )
            .bind(productcode.as_str())
            .bind(datum)
            .fetch_all(&mut *conn)
            .await?
        });
        rijen.into_iter().map(Contract::try_from).collect()
    }
}
