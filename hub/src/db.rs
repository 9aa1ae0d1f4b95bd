//! The hub's PostgreSQL: a connection pool and the numbered migrations (`hub/migrations`,
//! append-only like the desk's), applied in order, each in its own transaction, under an advisory
//! lock so that two hub processes starting together never both migrate.

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use crate::error::{HubError, Result};

/// The migrations, in order. Never edit a landed one; add the next number.
pub const MIGRATIONS: &[(i32, &str, &str)] = &[(1, "hub", include_str!("../migrations/0001_hub.sql"))];

/// The advisory lock key held while migrating ("fdhubmig" as a number).
const MIGRATION_LOCK: i64 = 0x6664_6875_626d_6967;

/// A pool of connections to the hub's database, from a `postgres://` URL.
pub fn pool(database_url: &str) -> Result<Pool> {
    let config: tokio_postgres::Config = database_url.parse().map_err(|e: tokio_postgres::Error| {
        HubError::InvalidInput { field: "database_url", message: format!("The database URL is not valid: {e}.") }
    })?;
    let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
    Pool::builder(manager)
        .max_size(16)
        .wait_timeout(Some(std::time::Duration::from_secs(5)))
        .create_timeout(Some(std::time::Duration::from_secs(5)))
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .build()
        .map_err(|e| HubError::Internal(format!("The database pool could not be built: {e}")))
}

/// Applies every migration not yet applied; returns the versions it applied.
pub async fn migrate(pool: &Pool) -> Result<Vec<i32>> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS hub_migration (
             version    integer PRIMARY KEY,
             name       text NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let done: Vec<i32> = tx.query("SELECT version FROM hub_migration", &[]).await?.iter().map(|r| r.get(0)).collect();
    let mut applied = Vec::new();
    for &(version, name, sql) in MIGRATIONS {
        if done.contains(&version) {
            continue;
        }
        tx.batch_execute(sql).await?;
        tx.execute("INSERT INTO hub_migration (version, name) VALUES ($1, $2)", &[&version, &name]).await?;
        tracing::info!(version, name, "migration applied");
        applied.push(version);
    }
    tx.commit().await?;
    Ok(applied)
}

/// The newest migration applied, or `None` on an empty database.
pub async fn schema_version(pool: &Pool) -> Result<Option<i32>> {
    let client = pool.get().await?;
    let exists: bool = client.query_one("SELECT to_regclass('hub_migration') IS NOT NULL", &[]).await?.get(0);
    if !exists {
        return Ok(None);
    }
    Ok(client.query_one("SELECT max(version) FROM hub_migration", &[]).await?.get(0))
}

/// Refuses to serve a database the hub's migrations have not brought up to date.
pub async fn require_current(pool: &Pool) -> Result<()> {
    let want = MIGRATIONS.last().map(|m| m.0);
    let have = schema_version(pool).await?;
    if have != want {
        return Err(HubError::Internal(format!(
            "The hub's database is at schema {} but this hub needs {}. Run `frontdesk-hub migrate` first.",
            have.map_or("none".to_string(), |v| v.to_string()),
            want.unwrap_or_default()
        )));
    }
    Ok(())
}
