//! The HTTP API desks speak. Every route is a few lines over [`crate::enrol`] and [`crate::db`];
//! every error is `{code, message}` ([`crate::error`]).
//!
//! - `GET  /health`   — the hub and its database answer (200) or not (503). No credential.
//! - `POST /v1/enrol` — `{code}` → the desk's identity and credential. No credential.
//! - `GET  /v1/desk`  — who the presented credential is (a revoked desk is refused).
//!
//! Desks present `Authorization: Bearer <credential>`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use deadpool_postgres::Pool;
use serde::Deserialize;

use crate::enrol::{self, DeskIdentity, Enrolled};
use crate::error::{HubError, Result};

/// What every request handler shares: the database pool. Nothing else, so any hub process can
/// answer any request.
#[derive(Clone)]
pub struct Hub {
    pub pool: Pool,
}

pub fn router(hub: Hub) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/v1/enrol", post(enrol_desk))
        .route("/v1/desk", get(whoami))
        .with_state(hub)
}

async fn health(State(hub): State<Hub>) -> Response {
    let check = async {
        let client = hub.pool.get().await?;
        client.query_one("SELECT 1", &[]).await?;
        Ok::<_, HubError>(())
    };
    match tokio::time::timeout(Duration::from_secs(2), check).await {
        Ok(Ok(())) => Json(serde_json::json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") })).into_response(),
        Ok(Err(e)) => {
            tracing::warn!(code = e.code(), "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "database unavailable" })))
                .into_response()
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "database timed out" })))
            .into_response(),
    }
}

#[derive(Deserialize)]
struct EnrolRequest {
    code: String,
}

async fn enrol_desk(State(hub): State<Hub>, body: Result<Json<EnrolRequest>, JsonRejection>) -> Result<Json<Enrolled>> {
    let Json(req) = body.map_err(bad_body)?;
    Ok(Json(enrol::exchange(&hub.pool, &req.code).await?))
}

async fn whoami(desk: Desk) -> Json<DeskIdentity> {
    Json(desk.0)
}

/// A body the hub cannot read: said without quoting it (it may hold what a person typed).
fn bad_body(e: JsonRejection) -> HubError {
    HubError::InvalidInput { field: "body", message: format!("The request could not be read ({}).", e.status()) }
}

/// The desk that sent a request, from its bearer credential; refused when unknown or revoked.
pub struct Desk(pub DeskIdentity);

impl FromRequestParts<Hub> for Desk {
    type Rejection = HubError;

    async fn from_request_parts(parts: &mut Parts, hub: &Hub) -> Result<Self> {
        let credential = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(HubError::Unauthorized)?;
        Ok(Desk(enrol::authenticate(&hub.pool, credential.trim()).await?))
    }
}

/// How the hub listens: HTTPS with a certificate, or plain HTTP on a loopback address only.
pub enum Listen {
    Tls { addr: SocketAddr, cert: PathBuf, key: PathBuf },
    Loopback { addr: SocketAddr },
}

impl Listen {
    /// Plain HTTP is refused anywhere but loopback: desks on a network talk TLS.
    pub fn new(addr: SocketAddr, cert: Option<PathBuf>, key: Option<PathBuf>) -> Result<Listen> {
        match (cert, key) {
            (Some(cert), Some(key)) => Ok(Listen::Tls { addr, cert, key }),
            (None, None) if addr.ip().is_loopback() => Ok(Listen::Loopback { addr }),
            (None, None) => Err(HubError::InvalidInput {
                field: "listen",
                message: format!(
                    "Plain HTTP is only served on loopback; {addr} is not. Give --tls-cert and --tls-key \
                     (PEM files) to serve HTTPS."
                ),
            }),
            _ => Err(HubError::InvalidInput {
                field: "tls",
                message: "Give both --tls-cert and --tls-key, or neither (loopback only).".into(),
            }),
        }
    }
}

/// Serves until `shutdown` resolves; in-flight requests finish first (up to 10 s).
pub async fn serve(
    hub: Hub,
    listen: Listen,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let app = router(hub);
    let handle = axum_server::Handle::new();
    let on_shutdown = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        on_shutdown.graceful_shutdown(Some(Duration::from_secs(10)));
    });
    let io = |e: std::io::Error| HubError::Internal(format!("The hub could not listen: {e}"));
    match listen {
        Listen::Loopback { addr } => {
            let listening = handle.clone();
            tokio::spawn(async move {
                if let Some(a) = listening.listening().await {
                    tracing::info!(addr = %a, tls = false, "listening");
                }
            });
            axum_server::bind(addr).handle(handle).serve(app.into_make_service()).await.map_err(io)
        }
        Listen::Tls { addr, cert, key } => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key).await.map_err(|e| {
                HubError::InvalidInput {
                    field: "tls",
                    message: format!("The TLS certificate or key could not be read ({e}). Give PEM files."),
                }
            })?;
            let listening = handle.clone();
            tokio::spawn(async move {
                if let Some(a) = listening.listening().await {
                    tracing::info!(addr = %a, tls = true, "listening");
                }
            });
            axum_server::bind_rustls(addr, config).handle(handle).serve(app.into_make_service()).await.map_err(io)
        }
    }
}
