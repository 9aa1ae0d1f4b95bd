//! The hub's errors. On the wire every error is `{code, message}` with a stable `code` the desk
//! branches on, and an HTTP status that says whose fault it is.

use axum::http::StatusCode;
use serde::Serialize;

pub type Result<T, E = HubError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("The desk's hub credential is missing or not recognised. Enrol the desk again with a new code.")]
    Unauthorized,
    #[error("This desk was disconnected from the clinic hub by the owner. Ask the owner for a new enrolment code.")]
    Revoked,
    #[error("That enrolment code is not recognised. Check it (it looks like ABCD-EFGH-JKMN) or ask the owner for a new one.")]
    CodeUnknown,
    #[error("That enrolment code was already used. Ask the owner for a new one: each code connects one desk.")]
    CodeUsed,
    #[error("That enrolment code has expired. Ask the owner for a new one.")]
    CodeExpired,
    #[error("No clinic {0} on this hub.")]
    NoSuchClinic(i64),
    #[error("No desk {0} on this hub.")]
    NoSuchDesk(i64),
    #[error("{message}")]
    InvalidInput { field: &'static str, message: String },
    #[error("The hub's database is not reachable. The hub will keep trying; desks keep working offline meanwhile.")]
    Unavailable(#[source] deadpool_postgres::PoolError),
    #[error("The hub's database refused the request.")]
    Database(#[from] tokio_postgres::Error),
    #[error("{0}")]
    Internal(String),
}

impl HubError {
    /// The stable code desks branch on.
    pub fn code(&self) -> &'static str {
        match self {
            HubError::Unauthorized => "unauthorized",
            HubError::Revoked => "revoked",
            HubError::CodeUnknown => "enrolment_code_unknown",
            HubError::CodeUsed => "enrolment_code_used",
            HubError::CodeExpired => "enrolment_code_expired",
            HubError::NoSuchClinic(_) | HubError::NoSuchDesk(_) => "not_found",
            HubError::InvalidInput { .. } => "invalid_input",
            HubError::Unavailable(_) => "unavailable",
            HubError::Database(_) | HubError::Internal(_) => "internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            HubError::Unauthorized | HubError::Revoked => StatusCode::UNAUTHORIZED,
            HubError::CodeUnknown | HubError::CodeUsed | HubError::CodeExpired => StatusCode::FORBIDDEN,
            HubError::NoSuchClinic(_) | HubError::NoSuchDesk(_) => StatusCode::NOT_FOUND,
            HubError::InvalidInput { .. } => StatusCode::BAD_REQUEST,
            HubError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            HubError::Database(_) | HubError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<deadpool_postgres::PoolError> for HubError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        HubError::Unavailable(e)
    }
}

/// An error as a desk receives it.
#[derive(Debug, Serialize)]
pub struct WireError {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
}

impl axum::response::IntoResponse for HubError {
    fn into_response(self) -> axum::response::Response {
        let status = self.status();
        if status.is_server_error() {
            // The source chain names tables and constraints, never what a person typed.
            tracing::error!(code = self.code(), error = %ErrorChain(&self), "request failed");
        }
        let field = match &self {
            HubError::InvalidInput { field, .. } => Some(*field),
            _ => None,
        };
        (status, axum::Json(WireError { code: self.code(), message: self.to_string(), field })).into_response()
    }
}

/// An error and its sources on one line.
pub struct ErrorChain<'a>(pub &'a dyn std::error::Error);

impl std::fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(s) = source {
            write!(f, ": {s}")?;
            source = s.source();
        }
        Ok(())
    }
}
