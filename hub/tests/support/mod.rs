//! What the hub's tests share: a throwaway PostgreSQL cluster, the `frontdesk-hub` binary run as
//! a real process on a free loopback port, and a small HTTP client.
#![allow(dead_code)]

use std::io::Read;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use frontdesk_hub::cluster::Cluster;

pub const BIN: &str = env!("CARGO_BIN_EXE_frontdesk-hub");

/// A cluster with a fresh database for one test.
pub struct Pg {
    pub cluster: Cluster,
    pub url: String,
}

pub fn pg(db: &str) -> Pg {
    let cluster = Cluster::throwaway().expect("a throwaway PostgreSQL cluster");
    let url = cluster.database(db).expect("a database");
    Pg { cluster, url }
}

/// Runs `frontdesk-hub --database-url <url> <args>`; its stdout, or a panic with its stderr.
pub fn hub_cli(url: &str, args: &[&str]) -> String {
    let out = Command::new(BIN).arg("--database-url").arg(url).args(args).output().expect("run frontdesk-hub");
    assert!(out.status.success(), "frontdesk-hub {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Runs the CLI expecting a failure; its stderr.
pub fn hub_cli_fails(url: &str, args: &[&str]) -> String {
    let out = Command::new(BIN).arg("--database-url").arg(url).args(args).output().expect("run frontdesk-hub");
    assert!(!out.status.success(), "frontdesk-hub {args:?} should have failed");
    String::from_utf8(out.stderr).unwrap()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A hub process serving on loopback; killed on drop. Its stderr (the log) is kept in a file.
pub struct HubProcess {
    pub child: Child,
    pub base: String,
    pub log: PathBuf,
    _dir: tempfile::TempDir,
}

impl HubProcess {
    pub fn serve(url: &str, extra: &[&str]) -> HubProcess {
        Self::serve_with(url, "http", extra)
    }

    pub fn serve_with(url: &str, scheme: &str, extra: &[&str]) -> HubProcess {
        let port = free_port();
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("hub.log");
        let child = Command::new(BIN)
            .arg("--database-url")
            .arg(url)
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("serve")
            .args(extra)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start frontdesk-hub serve");
        let hub = HubProcess { child, base: format!("{scheme}://127.0.0.1:{port}"), log, _dir: dir };
        hub.wait_listening();
        hub
    }

    fn wait_listening(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.log_text().contains("\"listening\"") {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the hub never listened; its log:\n{}", self.log_text());
    }

    pub fn log_text(&self) -> String {
        let mut s = String::new();
        if let Ok(mut f) = std::fs::File::open(&self.log) {
            let _ = f.read_to_string(&mut s);
        }
        s
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A plain HTTP answer: status and JSON body.
pub struct Answer {
    pub status: u16,
    pub body: serde_json::Value,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

pub fn get(url: &str, credential: Option<&str>) -> Answer {
    let mut req = agent().get(url);
    if let Some(c) = credential {
        req = req.header("Authorization", &format!("Bearer {c}"));
    }
    read(req.call().expect("GET"))
}

pub fn post(url: &str, credential: Option<&str>, body: serde_json::Value) -> Answer {
    let mut req = agent().post(url);
    if let Some(c) = credential {
        req = req.header("Authorization", &format!("Bearer {c}"));
    }
    read(req.send_json(body).expect("POST"))
}

fn read(mut r: ureq::http::Response<ureq::Body>) -> Answer {
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().unwrap_or_default();
    Answer { status, body: serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)) }
}
