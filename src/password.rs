//! Passwords: the clinic's rule for a new one, and argon2id hashing and checking.
//!
//! Parameters are OWASP's recommendation for argon2id (19 MiB of memory, 2 passes, 1 lane),
//! written out rather than taken from the crate's defaults, so an upgrade cannot lower them.
//! Checking runs outside every database lock (see `session::sign_in`).

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{Error, Result};

pub const MIN_PASSWORD_LEN: usize = 10;

/// OWASP Password Storage Cheat Sheet, argon2id: m = 19 MiB, t = 2, p = 1.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const PASSES: u32 = 2;
pub const LANES: u32 = 1;

fn hasher() -> Result<Argon2<'static>> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None)
        .map_err(|e| Error::Internal(format!("argon2 parameters refused: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash_password(password: &str) -> Result<String> {
    hasher()?
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches `hash`. The hash's own parameters are used, so older hashes still
/// check.
pub fn password_matches(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// A hash no password matches, checked when a username is unknown so that every sign-in costs
/// exactly one argon2 verification whether or not the account exists.
pub fn decoy_hash() -> &'static str {
    static DECOY: LazyLock<String> =
        LazyLock::new(|| hash_password(&hex::encode(argon2::password_hash::generate_salt())).unwrap_or_default());
    &DECOY
}

/// Checks a new password against the clinic's rule.
pub fn validate_password(password: &str, field: &'static str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(Error::invalid(field, format!("Use at least {MIN_PASSWORD_LEN} characters for the password.")));
    }
    Ok(())
}
