//! A throwaway PostgreSQL cluster: `initdb` into a directory, `pg_ctl start` on a free loopback
//! port, stopped on drop. Tests, benchmarks and `frontdesk-hub try` use it; a clinic's real hub
//! points `--database-url` at a PostgreSQL its operators run.
//!
//! PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user that
//! Debian's `postgresql` package creates, on a directory that user owns.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{HubError, Result};

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    pub port: u16,
    /// Removed on drop when the cluster is throwaway.
    _temp: Option<tempfile::TempDir>,
}

/// The user the cluster's superuser role is named after.
const SUPERUSER: &str = "frontdesk";

impl Cluster {
    /// A new cluster in a temporary directory, started; removed on drop.
    pub fn throwaway() -> Result<Cluster> {
        let temp = tempfile::Builder::new().prefix("frontdesk-pg-").tempdir().map_err(io("a temporary directory"))?;
        let dir = temp.path().to_path_buf();
        let mut c = Cluster::in_dir(&dir, None)?;
        c._temp = Some(temp);
        Ok(c)
    }

    /// The cluster kept in `dir` (created on first use), started on `port` (a free one when absent).
    pub fn in_dir(dir: &Path, port: Option<u16>) -> Result<Cluster> {
        let bin = bin_dir()?;
        let as_postgres = is_root();
        std::fs::create_dir_all(dir).map_err(io("the cluster's directory"))?;
        let dir = dir.canonicalize().map_err(io("the cluster's directory"))?;
        if as_postgres {
            run(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir), "chown")?;
        }
        let port = match port {
            Some(p) => p,
            None => free_port()?,
        };
        let c = Cluster { dir, bin, as_postgres, port, _temp: None };
        if !c.dir.join("data/PG_VERSION").exists() {
            c.pg("initdb", |cmd| {
                cmd.arg("-D").arg(c.dir.join("data")).args(["-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--no-sync"]);
            })?;
        }
        c.pg("pg_ctl", |cmd| {
            cmd.arg("-D").arg(c.dir.join("data")).arg("-l").arg(c.dir.join("postgres.log")).arg("-o").arg(format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off",
                c.port,
                c.dir.display()
            ));
            cmd.args(["-w", "-t", "30", "start"]);
        })?;
        Ok(c)
    }

    /// A `postgres://` URL for database `db` (created when missing).
    pub fn database(&self, db: &str) -> Result<String> {
        let exists = self.psql("postgres", &format!("SELECT 1 FROM pg_database WHERE datname = '{db}'"))?;
        if exists.trim() != "1" {
            self.psql("postgres", &format!("CREATE DATABASE \"{db}\""))?;
        }
        Ok(format!("postgres://{SUPERUSER}@127.0.0.1:{}/{db}", self.port))
    }

    fn psql(&self, db: &str, sql: &str) -> Result<String> {
        let psql = self.bin.join("psql");
        let psql = if psql.exists() { psql } else { PathBuf::from("psql") };
        let out = Command::new(psql)
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", SUPERUSER, "-d", db, "-Atqc", sql])
            .output()
            .map_err(io("psql"))?;
        if !out.status.success() {
            return Err(HubError::Internal(format!("psql failed: {}", String::from_utf8_lossy(&out.stderr).trim())));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn pg(&self, tool: &str, args: impl FnOnce(&mut Command)) -> Result<()> {
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(self.bin.join(tool));
            c
        } else {
            Command::new(self.bin.join(tool))
        };
        // Its own directory: as `postgres`, the caller's (e.g. /root) may not be readable.
        cmd.current_dir(&self.dir);
        args(&mut cmd);
        run(&mut cmd, tool)
    }

    /// Stops the server at once (the data stays for [`Cluster::in_dir`] to start again).
    pub fn stop(&self) {
        let _ = self.pg("pg_ctl", |cmd| {
            cmd.arg("-D").arg(self.dir.join("data")).args(["-m", "immediate", "-w", "stop"]);
        });
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

fn is_root() -> bool {
    std::process::Command::new("id").arg("-u").output().map(|o| o.stdout.trim_ascii() == b"0").unwrap_or(false)
}

/// PostgreSQL's server programs: `$FRONTDESK_PG_BIN`, else Debian's newest
/// `/usr/lib/postgresql/<version>/bin`, else the directory of `pg_ctl` on the PATH.
fn bin_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("FRONTDESK_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, p): &(u32, PathBuf)| p.join("initdb").exists())
        .collect();
    versions.sort();
    if let Some((_, dir)) = versions.pop() {
        return Ok(dir);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|p| p.join("pg_ctl").exists() && p.join("initdb").exists())
        .ok_or_else(|| {
            HubError::Internal(
                "PostgreSQL's server programs were not found. Install them (Debian: apt-get install postgresql) \
                 or set FRONTDESK_PG_BIN to the directory holding initdb and pg_ctl."
                    .into(),
            )
        })
}

fn free_port() -> Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(io("a free port"))?;
    Ok(l.local_addr().map_err(io("a free port"))?.port())
}

fn run(cmd: &mut Command, what: &str) -> Result<()> {
    let out = cmd.output().map_err(|e| HubError::Internal(format!("{what}: {e}")))?;
    if !out.status.success() {
        return Err(HubError::Internal(format!(
            "{what} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

fn io(what: &'static str) -> impl Fn(std::io::Error) -> HubError {
    move |e| HubError::Internal(format!("{what}: {e}"))
}
