//! The region, its gemeenten, providers and contracts. One installation serves one
//! region. Every `*_vastleggen` inserts when absent and leaves an existing row
//! alone, returning whether it inserted, so loading the same data twice is a no-op.

use chrono::NaiveDate;
use jeugdroute_domain::{
    Aanbieder, AgbCode, Contract, Gemeente, Gemeentecode, Gemeentecontact, Productcategorie,
    Productcode, Regio,
};

use crate::store::{on_tx, placeholders};
use crate::{Result, Tx};

#[derive(sqlx::FromRow)]
struct RegioRow {
    code: String,
    name: String,
}

#[derive(sqlx::FromRow)]
struct GemeenteRow {
    cbs_code: String,
    name: String,
    // The contact, from a LEFT JOIN: all NULL when the gemeente has none.
    street: Option<String>,
    house_number: Option<String>,
    postcode: Option<String>,
    city: Option<String>,
    telefoon: Option<String>,
    email: Option<String>,
    signatory_name: Option<String>,
    signatory_function: Option<String>,
}

impl GemeenteRow {
    fn contact(&mut self) -> Option<Gemeentecontact> {
        Some(Gemeentecontact {
            street: self.street.take()?,
            house_number: self.house_number.take()?,
            postcode: self.postcode.take()?,
            city: self.city.take()?,
            telefoon: self.telefoon.take()?,
            email: self.email.take()?,
            signatory_name: self.signatory_name.take()?,
            signatory_function: self.signatory_function.take()?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct AanbiederRow {
    agb_code: String,
    name: String,
    city: String,
}

impl TryFrom<AanbiederRow> for Aanbieder {
    type Error = crate::StoreError;

    fn try_from(r: AanbiederRow) -> Result<Aanbieder> {
        Ok(Aanbieder {
            agb: AgbCode::parse(&r.agb_code)?,
            name: r.name,
            city: r.city,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ContractRow {
    aanbieder_agb: String,
    productcategorie: String,
    productcode: String,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
    tariff_cents: i64,
    unit: String,
}

impl TryFrom<ContractRow> for Contract {
    type Error = crate::StoreError;

    fn try_from(row: ContractRow) -> Result<Self> {
        Ok(Contract {
            aanbieder: AgbCode::parse(&row.aanbieder_agb)?,
            productcategorie: Productcategorie::parse(&row.productcategorie)?,
            productcode: Productcode::parse(&row.productcode)?,
            start_date: row.start_date,
            end_date: row.end_date,
            tariff_cents: row.tariff_cents,
            unit: row.unit,
        })
    }
}

impl Tx {
    pub async fn insert_regio(&mut self, regio: &Regio) -> Result<bool> {
        on_tx!(self, |conn| {
            let done = sqlx::query(
                "INSERT INTO regio (code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(&regio.code)
            .bind(&regio.name)
            .execute(&mut *conn)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// The region this installation serves, if one was set up.
    pub async fn regio(&mut self) -> Result<Option<Regio>> {
        let row: Option<RegioRow> = on_tx!(self, |conn| {
            sqlx::query_as("SELECT code, name FROM regio ORDER BY code LIMIT 1")
                .fetch_optional(&mut *conn)
                .await?
        });
        Ok(row.map(|r| Regio {
            code: r.code,
            name: r.name,
        }))
    }

    /// Inserts the gemeente when absent, and its contact when it has one and none
    /// is stored yet (so a gemeente loaded before contacts existed gets its own on
    /// the next load). Returns whether the gemeente itself was inserted.
    pub async fn insert_gemeente(&mut self, regio_code: &str, gemeente: &Gemeente) -> Result<bool> {
        let inserted = on_tx!(self, |conn| {
            let done = sqlx::query(
                "INSERT INTO gemeente (cbs_code, name, regio_code) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(gemeente.code.as_str())
            .bind(&gemeente.name)
            .bind(regio_code)
            .execute(&mut *conn)
            .await?;
            done.rows_affected() == 1
        });
        if let Some(contact) = &gemeente.contact {
            on_tx!(self, |conn| {
                sqlx::query(
                    "INSERT INTO gemeente_contact (cbs_code, street, house_number, postcode, city, \
                     telefoon, email, signatory_name, signatory_function) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
                )
                .bind(gemeente.code.as_str())
                .bind(&contact.street)
                .bind(&contact.house_number)
                .bind(&contact.postcode)
                .bind(&contact.city)
                .bind(&contact.telefoon)
                .bind(&contact.email)
                .bind(&contact.signatory_name)
                .bind(&contact.signatory_function)
                .execute(&mut *conn)
                .await?;
            });
        }
        Ok(inserted)
    }

    /// All gemeenten, by name.
    pub async fn gemeenten(&mut self) -> Result<Vec<Gemeente>> {
        let rows: Vec<GemeenteRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT g.cbs_code, g.name, c.street, c.house_number, c.postcode, c.city, \
                 c.telefoon, c.email, c.signatory_name, c.signatory_function \
                 FROM gemeente g LEFT JOIN gemeente_contact c ON c.cbs_code = g.cbs_code \
                 ORDER BY g.name",
            )
            .fetch_all(&mut *conn)
            .await?
        });
        rows.into_iter()
            .map(|mut r| {
                Ok(Gemeente {
                    code: Gemeentecode::parse(&r.cbs_code)?,
                    contact: r.contact(),
                    name: r.name,
                })
            })
            .collect()
    }

    pub async fn insert_aanbieder(&mut self, aanbieder: &Aanbieder) -> Result<bool> {
        on_tx!(self, |conn| {
            let done = sqlx::query(
                "INSERT INTO aanbieder (agb_code, name, city) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(aanbieder.agb.as_str())
            .bind(&aanbieder.name)
            .bind(&aanbieder.city)
            .execute(&mut *conn)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// All providers, by name.
    pub async fn aanbieders(&mut self) -> Result<Vec<Aanbieder>> {
        let rows: Vec<AanbiederRow> = on_tx!(self, |conn| {
            sqlx::query_as("SELECT agb_code, name, city FROM aanbieder ORDER BY name")
                .fetch_all(&mut *conn)
                .await?
        });
        rows.into_iter().map(Aanbieder::try_from).collect()
    }

    /// The providers with a contract in force on `date` for one of `codes`,
    /// by name: whom a hoofdaannemer may call in for its allocations.
    pub async fn gecontracteerd_voor(
        &mut self,
        codes: &[&Productcode],
        date: NaiveDate,
    ) -> Result<Vec<Aanbieder>> {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT a.agb_code, a.name, a.city FROM aanbieder a WHERE EXISTS (SELECT 1 \
               FROM contract c WHERE c.aanbieder_agb = a.agb_code \
               AND c.start_date <= $1 AND (c.end_date IS NULL OR c.end_date >= $1) \
               AND c.productcode IN ({})) ORDER BY a.name, a.agb_code",
            placeholders(2, codes.len())
        );
        let rows: Vec<AanbiederRow> = on_tx!(self, |conn| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(date);
            for code in codes {
                query = query.bind(code.as_str());
            }
            query.fetch_all(&mut *conn).await?
        });
        rows.into_iter().map(Aanbieder::try_from).collect()
    }

    pub async fn insert_contract(&mut self, regio_code: &str, contract: &Contract) -> Result<bool> {
        on_tx!(self, |conn| {
            let done = sqlx::query(
                "INSERT INTO contract (regio_code, aanbieder_agb, productcategorie, productcode, \
                 start_date, end_date, tariff_cents, unit) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
            )
            .bind(regio_code)
            .bind(contract.aanbieder.as_str())
            .bind(contract.productcategorie.as_str())
            .bind(contract.productcode.as_str())
            .bind(contract.start_date)
            .bind(contract.end_date)
            .bind(contract.tariff_cents)
            .bind(&contract.unit)
            .execute(&mut *conn)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Every contract of one provider for `productcode`, whatever its period,
    /// oldest first: one question for all prestaties of a declaration.
    pub async fn contracts_of(
        &mut self,
        aanbieder: &str,
        productcode: &Productcode,
    ) -> Result<Vec<Contract>> {
        let rows: Vec<ContractRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT aanbieder_agb, productcategorie, productcode, start_date, end_date, tariff_cents, unit \
                 FROM contract WHERE aanbieder_agb = $1 AND productcode = $2 ORDER BY start_date",
            )
            .bind(aanbieder)
            .bind(productcode.as_str())
            .fetch_all(&mut *conn)
            .await?
        });
        rows.into_iter().map(Contract::try_from).collect()
    }

    /// The contracts that allow delivering `productcode` on `date`, by provider.
    pub async fn contracts_for(
        &mut self,
        productcode: &Productcode,
        date: NaiveDate,
    ) -> Result<Vec<Contract>> {
        let rows: Vec<ContractRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT aanbieder_agb, productcategorie, productcode, start_date, end_date, tariff_cents, unit \
                 FROM contract WHERE productcode = $1 AND start_date <= $2 \
                 AND (end_date IS NULL OR end_date >= $2) ORDER BY aanbieder_agb",
            )
            .bind(productcode.as_str())
            .bind(date)
            .fetch_all(&mut *conn)
            .await?
        });
        rows.into_iter().map(Contract::try_from).collect()
    }

    /// Every contract in force on `date`, by provider and code: what the
    /// region has bought of whom.
    pub async fn contracts_on(&mut self, date: NaiveDate) -> Result<Vec<Contract>> {
        let rows: Vec<ContractRow> = on_tx!(self, |conn| {
            sqlx::query_as(
                "SELECT aanbieder_agb, productcategorie, productcode, start_date, end_date, tariff_cents, unit \
                 FROM contract WHERE start_date <= $1 AND (end_date IS NULL OR end_date >= $1) \
                 ORDER BY aanbieder_agb, productcode",
            )
            .bind(date)
            .fetch_all(&mut *conn)
            .await?
        });
        rows.into_iter().map(Contract::try_from).collect()
    }
}
