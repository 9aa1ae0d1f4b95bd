//! Errors of the core. Internally a `thiserror` enum; at the API boundary every error becomes an
//! [`ApiError`] `{code, message, field}` whose `code` is a closed set the UI branches on.

use serde::Serialize;
use ts_rs::TS;

/// The closed set of error codes the UI may see. Only add a variant a consumer uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No one is signed in on this desk.
    NotSignedIn,
    /// The session was locked after the idle period; unlock with the password.
    SessionLocked,
    /// The signed-in role may not do this.
    Forbidden,
    /// A support account without an approved, running support session: it may only ask for one
    /// (and wait for the owner's or an admin's approval).
    SupportSessionRequired,
    /// The person signed in with a temporary password: nothing but changing it (or signing out)
    /// is possible until they choose their own.
    PasswordChangeRequired,
    /// The request is malformed; `field` names the input to fix.
    InvalidInput,
    /// The record does not exist (any more).
    NotFound,
    /// The change conflicts with the current state (e.g. an illegal status change).
    Conflict,
    /// The change is unusual (a patient arriving on another day, or hours early): the message asks
    /// whether to go ahead; send the request again with `confirmed` set to do it.
    NeedsConfirmation,
    /// A sign-in was refused (wrong username or password, or the account is locked).
    BadCredentials,
    /// The clinic is already set up (first-run setup cannot run twice).
    AlreadySetUp,
    /// The clinic is not set up yet.
    NotSetUp,
    /// The local database could not be used.
    Storage,
    /// The clinic file's protection was removed or its audit log altered outside Frontdesk.
    Tampered,
    /// A bug; the message says what to report.
    Internal,
}

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ApiError {
    pub code: ErrorCode,
    /// A sentence for the person at the desk, saying what to do next.
    pub message: String,
    /// The request field the message is about, for inline form errors.
    pub field: Option<String>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Please sign in first.")]
    NotSignedIn,
    #[error("The desk was locked after a period without activity. Enter your password to continue.")]
    SessionLocked,
    #[error("Your role ({role}) does not allow this: {action}. Ask the clinic owner or an admin.")]
    Forbidden { role: String, action: String },
    /// A support account with no approved session running: nothing but asking for one.
    #[error(
        "Support accounts see nothing at this clinic without an approved support session. Request a session on the Support screen (with a reason and how long you need), and wait for the owner's or an admin's approval."
    )]
    SupportSessionRequired,
    /// The role allows the action, but only on the person's own patients (a doctor's account).
    #[error("{0}")]
    NotTheirPatient(String),
    /// Signed in with a temporary password (a new account, or one an owner or admin reset).
    #[error("You signed in with a temporary password. Choose your own password to continue, or sign out.")]
    PasswordChangeRequired,
    #[error("{message}")]
    Invalid { field: &'static str, message: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A question, not a refusal: the request is repeated with `confirmed: true` to go ahead.
    #[error("{0}")]
    NeedsConfirmation(String),
    /// Every refused sign-in, whatever the reason: the answer never tells whether a username
    /// exists, is locked or is deactivated.
    #[error(
        "Wrong username or password, or the account is locked. After 5 wrong passwords an account is locked for 15 minutes; try again after that."
    )]
    BadCredentials,
    /// A refused unlock: only the password is asked there.
    #[error(
        "Wrong password, or the account is locked. After 5 wrong passwords an account is locked for 15 minutes; try again after that, or sign out to switch user."
    )]
    WrongPassword,
    #[error("This clinic is already set up. Sign in instead.")]
    AlreadySetUp,
    #[error("This clinic is not set up yet. Complete the first-run setup.")]
    NotSetUp,
    #[error("The database at {path} was written by a newer version of Frontdesk (schema {found}, this version knows {known}). Install the newer version, or start with another --data-dir.")]
    NewerDatabase { path: String, found: i64, known: i64 },
    #[error("The local database failed: {0}. Your last saved changes are kept; try again, and if it repeats, restart Frontdesk.")]
    Sqlite(rusqlite::Error),
    #[error("Frontdesk will not open this clinic: {0}. Someone changed the clinic file outside Frontdesk. Keep the file as it is for investigation, restore the last backup into a new --data-dir, and tell the clinic owner.")]
    Tampered(String),
    #[error("Could not use the data directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("Internal error: {0}. Please report this.")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid { field, message: message.into() }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotSignedIn => ErrorCode::NotSignedIn,
            Error::SessionLocked => ErrorCode::SessionLocked,
            Error::Forbidden { .. } | Error::NotTheirPatient(_) => ErrorCode::Forbidden,
            Error::SupportSessionRequired => ErrorCode::SupportSessionRequired,
            Error::PasswordChangeRequired => ErrorCode::PasswordChangeRequired,
            Error::Invalid { .. } => ErrorCode::InvalidInput,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::NeedsConfirmation(_) => ErrorCode::NeedsConfirmation,
            Error::BadCredentials | Error::WrongPassword => ErrorCode::BadCredentials,
            Error::AlreadySetUp => ErrorCode::AlreadySetUp,
            Error::NotSetUp => ErrorCode::NotSetUp,
            Error::NewerDatabase { .. } | Error::Sqlite(_) | Error::Io(_) => ErrorCode::Storage,
            Error::Tampered(_) => ErrorCode::Tampered,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// What a log may say about this error besides its code: never the person's message, which
    /// may quote a patient (a clash names who holds the slot) or what was typed. A refusal gives
    /// at most the field it is about; a SQLite failure its result code (its message can quote a
    /// search); a tampered file, a newer database and the data directory's failures their words,
    /// which the core makes from file, trigger and table names. An internal error gives nothing:
    /// its detail may come from a decoded row.
    pub fn log_detail(&self) -> Option<String> {
        match self {
            Error::Invalid { field, .. } => Some(format!("field {field}")),
            Error::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => {
                Some(format!("SQLite {:?} (extended code {})", f.code, f.extended_code))
            }
            Error::Sqlite(_) => Some("SQLite, not a result code".to_owned()),
            Error::Tampered(what) => Some(what.clone()),
            Error::NewerDatabase { .. } | Error::Io(_) => Some(self.to_string()),
            _ => None,
        }
    }
}

/// The message prefix of the schema's own refusals (migration 0006's triggers): a conflict the
/// person can act on, not a storage failure.
const SCHEMA_REFUSAL: &str = "Appointment refused: ";

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match &e {
            rusqlite::Error::SqliteFailure(f, Some(m))
                if f.code == rusqlite::ErrorCode::ConstraintViolation && m.starts_with(SCHEMA_REFUSAL) =>
            {
                Error::Conflict(m.clone())
            }
            _ => Error::Sqlite(e),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let field = match &e {
            Error::Invalid { field, .. } => Some((*field).to_owned()),
            _ => None,
        };
        ApiError { code: e.code(), message: e.to_string(), field }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
