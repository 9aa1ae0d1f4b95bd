//! `frontdesk-hub`: the clinic hub's command line.
//!
//!   frontdesk-hub --database-url postgres://… migrate
//!   frontdesk-hub --database-url postgres://… create-clinic --name "Sunrise Clinic" --timezone Asia/Kolkata
//!   frontdesk-hub --database-url postgres://… enrol-desk --clinic 1 --name "Front desk 1"
//!   frontdesk-hub --database-url postgres://… --listen 0.0.0.0:8443 serve --tls-cert c.pem --tls-key k.pem
//!   frontdesk-hub try --dir ./hub-data      (a local PostgreSQL and a hub on loopback, to try it out)
//!
//! Logs are JSON lines on stderr with ids only.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use frontdesk_hub::http::{self, Hub, Listen};
use frontdesk_hub::{cluster, db, enrol, HubError};

#[derive(Parser)]
#[command(name = "frontdesk-hub", version, about = "The Frontdesk clinic hub: desks of one clinic share it.")]
struct Cli {
    /// The hub's PostgreSQL database.
    #[arg(long, env = "FRONTDESK_HUB_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Where `serve` listens. Plain HTTP only on loopback; anything else needs --tls-cert/--tls-key.
    #[arg(long, env = "FRONTDESK_HUB_LISTEN", global = true, default_value = "127.0.0.1:8480")]
    listen: SocketAddr,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Brings the database's schema up to date.
    Migrate,
    /// Serves desks.
    Serve {
        /// The certificate chain (PEM).
        #[arg(long, env = "FRONTDESK_HUB_TLS_CERT")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM).
        #[arg(long, env = "FRONTDESK_HUB_TLS_KEY")]
        tls_key: Option<PathBuf>,
    },
    /// Creates a clinic and prints its id.
    CreateClinic {
        #[arg(long)]
        name: String,
        /// IANA time zone, e.g. Asia/Kolkata.
        #[arg(long)]
        timezone: String,
    },
    /// Prints a one-time code a desk exchanges for its credential.
    EnrolDesk {
        #[arg(long)]
        clinic: i64,
        /// The desk's name, e.g. "Front desk 2".
        #[arg(long)]
        name: String,
        #[arg(long, default_value_t = 24)]
        valid_hours: u32,
    },
    /// Disconnects a desk at once.
    RevokeDesk {
        #[arg(long)]
        clinic: i64,
        #[arg(long)]
        desk: i64,
    },
    /// Lists a clinic's desks.
    ListDesks {
        #[arg(long)]
        clinic: i64,
    },
    /// Starts a local PostgreSQL in DIR (created on first use) and a hub on loopback, with a clinic
    /// and an enrolment code for the first desk. For trying the hub out, not for a clinic's data.
    Try {
        #[arg(long, default_value = "frontdesk-hub-try")]
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .json()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FRONTDESK_HUB_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("frontdesk-hub: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("frontdesk-hub: {e} ({})", frontdesk_hub::error::ErrorChain(&e));
            ExitCode::FAILURE
        }
    }
}

fn database_url(cli: &Cli) -> Result<&str, HubError> {
    cli.database_url.as_deref().ok_or_else(|| HubError::InvalidInput {
        field: "database_url",
        message: "Give --database-url postgres://… (or set FRONTDESK_HUB_DATABASE_URL).".into(),
    })
}

async fn run(cli: Cli) -> Result<(), HubError> {
    match &cli.command {
        Cmd::Migrate => {
            let pool = db::pool(database_url(&cli)?)?;
            let applied = db::migrate(&pool).await?;
            println!(
                "migrations applied: {}",
                if applied.is_empty() { "none (up to date)".into() } else { format!("{applied:?}") }
            );
        }
        Cmd::Serve { tls_cert, tls_key } => {
            let listen = Listen::new(cli.listen, tls_cert.clone(), tls_key.clone())?;
            let pool = db::pool(database_url(&cli)?)?;
            db::require_current(&pool).await?;
            http::serve(Hub { pool }, listen, shutdown_signal()).await?;
        }
        Cmd::CreateClinic { name, timezone } => {
            let pool = db::pool(database_url(&cli)?)?;
            let clinic = enrol::create_clinic(&pool, name, timezone).await?;
            println!("{}", clinic.id);
        }
        Cmd::EnrolDesk { clinic, name, valid_hours } => {
            let pool = db::pool(database_url(&cli)?)?;
            let code = enrol::create_code(&pool, *clinic, name, *valid_hours).await?;
            println!("{}", code.code);
        }
        Cmd::RevokeDesk { clinic, desk } => {
            let pool = db::pool(database_url(&cli)?)?;
            enrol::revoke(&pool, *clinic, *desk).await?;
            println!("desk {desk} revoked");
        }
        Cmd::ListDesks { clinic } => {
            let pool = db::pool(database_url(&cli)?)?;
            for d in enrol::desks(&pool, *clinic).await? {
                println!("{}\t{}\t{}", d.id, d.name, if d.revoked_at.is_some() { "revoked" } else { "active" });
            }
        }
        Cmd::Try { dir } => {
            let cluster = tokio::task::block_in_place(|| cluster::Cluster::in_dir(&dir.join("postgres"), None))?;
            let url = cluster.database("frontdesk_hub")?;
            let pool = db::pool(&url)?;
            db::migrate(&pool).await?;
            let clinic = match enrol::clinic(&pool, 1).await {
                Ok(c) => c,
                Err(_) => enrol::create_clinic(&pool, "Try-out Clinic", "Asia/Kolkata").await?,
            };
            let code = enrol::create_code(&pool, clinic.id, "Front desk", 24).await?;
            let listen = Listen::new(cli.listen, None, None)?;
            println!("PostgreSQL: {url} (data in {})", dir.join("postgres").display());
            println!("Hub: http://{} — clinic {} \"{}\"", cli.listen, clinic.id, clinic.name);
            println!("Connect a desk: Settings → Connect to clinic hub, URL http://{}, code {}", cli.listen, code.code);
            println!(
                "More codes: frontdesk-hub --database-url {url} enrol-desk --clinic {} --name \"Front desk 2\"",
                clinic.id
            );
            http::serve(Hub { pool }, listen, shutdown_signal()).await?;
            drop(cluster);
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
    tracing::info!("shutting down");
}
