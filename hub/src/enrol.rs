//! Clinics, desks and how a desk joins one: an owner makes a one-time enrolment code (from an
//! enrolled desk, or `frontdesk-hub enrol-desk` for the first), the desk exchanges it for its own
//! credential, and the hub keeps only hashes of both. Revoking a desk refuses its very next request.

use base64::Engine;
use deadpool_postgres::Pool;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{HubError, Result};

/// Crockford's base32: no I, L, O or U, so a code read over the phone is not misheard.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LEN: usize = 12;
/// A credential's prefix and version (`fdh1_<desk id>_<secret>`).
const CREDENTIAL_PREFIX: &str = "fdh1_";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Clinic {
    pub id: i64,
    pub name: String,
    pub timezone: String,
}

/// A desk as the hub knows it after checking its credential.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DeskIdentity {
    pub desk_id: i64,
    pub desk_name: String,
    pub clinic_id: i64,
    pub clinic_name: String,
}

/// What a desk receives for a good code: who it now is, and its credential (shown once, kept by
/// the desk in the OS keychain).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Enrolled {
    #[serde(flatten)]
    pub desk: DeskIdentity,
    pub timezone: String,
    pub credential: String,
}

/// A fresh enrolment code, as the owner reads it out ("ABCD-EFGH-JKMN").
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewCode {
    pub code: String,
    pub clinic_id: i64,
    pub desk_name: String,
    /// Unix seconds.
    pub expires_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeskRow {
    pub id: i64,
    pub name: String,
    pub enrolled_at: i64,
    pub revoked_at: Option<i64>,
    pub last_seen_at: Option<i64>,
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| HubError::Internal(format!("The system's random source failed: {e}")))?;
    Ok(b)
}

fn non_empty(field: &'static str, what: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(HubError::InvalidInput { field, message: format!("Enter {what}.") });
    }
    if v.chars().count() > 100 {
        return Err(HubError::InvalidInput { field, message: format!("Shorten {what} to 100 characters or fewer.") });
    }
    Ok(v.to_string())
}

/// Creates a clinic on the hub.
pub async fn create_clinic(pool: &Pool, name: &str, timezone: &str) -> Result<Clinic> {
    let name = non_empty("name", "the clinic's name", name)?;
    let timezone = timezone.trim();
    if timezone.parse::<chrono_tz::Tz>().is_err() {
        return Err(HubError::InvalidInput {
            field: "timezone",
            message: format!("\"{timezone}\" is not a time zone. Use an IANA name such as Asia/Kolkata."),
        });
    }
    let client = pool.get().await?;
    let row = client
        .query_one("INSERT INTO clinic (name, timezone) VALUES ($1, $2) RETURNING id", &[&name, &timezone])
        .await?;
    let clinic = Clinic { id: row.get(0), name, timezone: timezone.to_string() };
    tracing::info!(clinic_id = clinic.id, "clinic created");
    Ok(clinic)
}

pub async fn clinic(pool: &Pool, id: i64) -> Result<Clinic> {
    let client = pool.get().await?;
    let row = client
        .query_opt("SELECT id, name, timezone FROM clinic WHERE id = $1", &[&id])
        .await?
        .ok_or(HubError::NoSuchClinic(id))?;
    Ok(Clinic { id: row.get(0), name: row.get(1), timezone: row.get(2) })
}

/// Reads a code as people type it: any case, with or without dashes or spaces, O for 0 and I or L
/// for 1. `None` when it cannot be a code.
pub fn normalise_code(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(CODE_LEN);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !CODE_ALPHABET.contains(&(c as u8)) {
            return None;
        }
        out.push(c);
    }
    (out.len() == CODE_LEN).then_some(out)
}

/// Makes a one-time code for a desk named `desk_name` to join `clinic_id`, valid for `valid_hours`.
pub async fn create_code(pool: &Pool, clinic_id: i64, desk_name: &str, valid_hours: u32) -> Result<NewCode> {
    let desk_name = non_empty("desk_name", "a name for the desk", desk_name)?;
    if !(1..=24 * 14).contains(&valid_hours) {
        return Err(HubError::InvalidInput {
            field: "valid_hours",
            message: "A code is valid between 1 hour and 14 days.".into(),
        });
    }
    clinic(pool, clinic_id).await?;
    let bytes = random_bytes::<CODE_LEN>()?;
    let code: String = bytes.iter().map(|b| CODE_ALPHABET[(b & 31) as usize] as char).collect();
    let client = pool.get().await?;
    let row = client
        .query_one(
            "INSERT INTO enrolment_code (code_hash, clinic_id, desk_name, expires_at)
             VALUES ($1, $2, $3, now() + make_interval(hours => $4))
             RETURNING extract(epoch FROM expires_at)::bigint",
            &[&sha256(code.as_bytes()), &clinic_id, &desk_name, &(valid_hours as i32)],
        )
        .await?;
    tracing::info!(clinic_id, "enrolment code created");
    let display = format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]);
    Ok(NewCode { code: display, clinic_id, desk_name, expires_at: row.get(0) })
}

/// Exchanges a one-time code for a new desk and its credential. A code works once: two desks
/// racing with one code get one desk and one refusal.
pub async fn exchange(pool: &Pool, typed_code: &str) -> Result<Enrolled> {
    let code = normalise_code(typed_code).ok_or(HubError::CodeUnknown)?;
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let row = tx
        .query_opt(
            "SELECT e.clinic_id, e.desk_name, e.used_at IS NOT NULL, e.expires_at < now(), c.name, c.timezone
             FROM enrolment_code e JOIN clinic c ON c.id = e.clinic_id
             WHERE e.code_hash = $1 FOR UPDATE OF e",
            &[&sha256(code.as_bytes())],
        )
        .await?
        .ok_or(HubError::CodeUnknown)?;
    let (clinic_id, desk_name, used, expired): (i64, String, bool, bool) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    if used {
        return Err(HubError::CodeUsed);
    }
    if expired {
        return Err(HubError::CodeExpired);
    }
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>()?);
    let desk_id: i64 = tx
        .query_one(
            "INSERT INTO desk (clinic_id, name, credential_hash) VALUES ($1, $2, $3) RETURNING id",
            &[&clinic_id, &desk_name, &sha256(secret.as_bytes())],
        )
        .await?
        .get(0);
    tx.execute(
        "UPDATE enrolment_code SET used_at = now(), desk_id = $2 WHERE code_hash = $1",
        &[&sha256(code.as_bytes()), &desk_id],
    )
    .await?;
    tx.commit().await?;
    tracing::info!(clinic_id, desk_id, "desk enrolled");
    Ok(Enrolled {
        desk: DeskIdentity { desk_id, desk_name, clinic_id, clinic_name: row.get(4) },
        timezone: row.get(5),
        credential: format!("{CREDENTIAL_PREFIX}{desk_id}_{secret}"),
    })
}

/// The desk a credential belongs to, refused when it is unknown or the desk was revoked.
pub async fn authenticate(pool: &Pool, credential: &str) -> Result<DeskIdentity> {
    let (desk_id, secret) = credential
        .strip_prefix(CREDENTIAL_PREFIX)
        .and_then(|rest| rest.split_once('_'))
        .and_then(|(id, secret)| Some((id.parse::<i64>().ok()?, secret)))
        .ok_or(HubError::Unauthorized)?;
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "SELECT d.name, d.clinic_id, c.name, d.credential_hash, d.revoked_at IS NOT NULL
             FROM desk d JOIN clinic c ON c.id = d.clinic_id WHERE d.id = $1",
            &[&desk_id],
        )
        .await?
        .ok_or(HubError::Unauthorized)?;
    let stored: Vec<u8> = row.get(3);
    if !constant_time_eq(&stored, &sha256(secret.as_bytes())) {
        return Err(HubError::Unauthorized);
    }
    if row.get::<_, bool>(4) {
        return Err(HubError::Revoked);
    }
    // At most one write per desk every ten seconds, however busy it is.
    client
        .execute(
            "UPDATE desk SET last_seen_at = now()
             WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < now() - interval '10 seconds')",
            &[&desk_id],
        )
        .await?;
    Ok(DeskIdentity { desk_id, desk_name: row.get(0), clinic_id: row.get(1), clinic_name: row.get(2) })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Cuts a desk off: its next request is refused. Revoking twice is harmless.
pub async fn revoke(pool: &Pool, clinic_id: i64, desk_id: i64) -> Result<()> {
    let client = pool.get().await?;
    let n = client
        .execute(
            "UPDATE desk SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND clinic_id = $2",
            &[&desk_id, &clinic_id],
        )
        .await?;
    if n == 0 {
        return Err(HubError::NoSuchDesk(desk_id));
    }
    tracing::info!(clinic_id, desk_id, "desk revoked");
    Ok(())
}

/// The clinic's desks, oldest first.
pub async fn desks(pool: &Pool, clinic_id: i64) -> Result<Vec<DeskRow>> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT id, name, extract(epoch FROM enrolled_at)::bigint, extract(epoch FROM revoked_at)::bigint,
                    extract(epoch FROM last_seen_at)::bigint
             FROM desk WHERE clinic_id = $1 ORDER BY id",
            &[&clinic_id],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| DeskRow {
            id: r.get(0),
            name: r.get(1),
            enrolled_at: r.get(2),
            revoked_at: r.get(3),
            last_seen_at: r.get(4),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_as_people_type_them() {
        assert_eq!(normalise_code("abcd-efgh-jkmn").as_deref(), Some("ABCDEFGHJKMN"));
        assert_eq!(normalise_code(" ABCD EFGH JKMN ").as_deref(), Some("ABCDEFGHJKMN"));
        // O is read as zero and I, L as one.
        assert_eq!(normalise_code("OOOO-IIII-LLLL").as_deref(), Some("000011111111"));
        assert_eq!(normalise_code("ABCD-EFGH-JKM"), None, "too short");
        assert_eq!(normalise_code("ABCD-EFGH-JKMNP"), None, "too long");
        assert_eq!(normalise_code("ABCD-EFGH-JKMU"), None, "U is not in the alphabet");
        assert_eq!(normalise_code("ABCD-EFGH-JKMé"), None);
    }

    #[test]
    fn equal_hashes_compare_equal_and_others_do_not() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
