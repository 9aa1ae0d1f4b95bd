//! Enrolment end to end against a real PostgreSQL and a real hub process: a one-time code becomes a
//! desk's credential, once; a revoked desk is refused at once; the hub's log keeps no code or
//! credential; plain HTTP only on loopback, HTTPS with a configured certificate.

mod support;

use std::time::Duration;

use serde_json::json;
use support::*;

fn enrol(hub: &HubProcess, code: &str) -> Answer {
    post(&format!("{}/v1/enrol", hub.base), None, json!({ "code": code }))
}

#[test]
fn migrate_is_idempotent_and_serve_refuses_an_unmigrated_database() {
    let pg = pg("hub_migrate");
    let err = hub_cli_fails(&pg.url, &["--listen", &format!("127.0.0.1:{}", free_port()), "serve"]);
    assert!(err.contains("Run `frontdesk-hub migrate` first"), "{err}");
    assert_eq!(hub_cli(&pg.url, &["migrate"]), "migrations applied: [1]");
    assert_eq!(hub_cli(&pg.url, &["migrate"]), "migrations applied: none (up to date)");
}

#[test]
fn a_code_enrols_one_desk_once_and_revoking_cuts_it_off_at_once() {
    let pg = pg("hub_enrol");
    hub_cli(&pg.url, &["migrate"]);
    let clinic = hub_cli(&pg.url, &["create-clinic", "--name", "Sunrise Clinic", "--timezone", "Asia/Kolkata"]);
    let code = hub_cli(&pg.url, &["enrol-desk", "--clinic", &clinic, "--name", "Front desk 1"]);
    assert_eq!(code.len(), 14, "ABCD-EFGH-JKMN: {code}");
    let hub = HubProcess::serve(&pg.url, &[]);

    let health = get(&format!("{}/health", hub.base), None);
    assert_eq!((health.status, health.body["status"].as_str()), (200, Some("ok")));

    // Typed as people type it: lower case, no dashes.
    let a = enrol(&hub, &code.replace('-', "").to_lowercase());
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["clinic_name"], "Sunrise Clinic");
    assert_eq!(a.body["desk_name"], "Front desk 1");
    assert_eq!(a.body["timezone"], "Asia/Kolkata");
    let credential = a.body["credential"].as_str().unwrap().to_string();

    let me = get(&format!("{}/v1/desk", hub.base), Some(&credential));
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body["clinic_id"].to_string(), clinic);

    // The code worked once.
    let again = enrol(&hub, &code);
    assert_eq!((again.status, again.body["code"].as_str()), (403, Some("enrolment_code_used")));
    let unknown = enrol(&hub, "AAAA-BBBB-CCCC");
    assert_eq!((unknown.status, unknown.body["code"].as_str()), (403, Some("enrolment_code_unknown")));
    let garbage = enrol(&hub, "hello");
    assert_eq!(garbage.body["code"], "enrolment_code_unknown");

    // A credential with a wrong secret, or none, is refused.
    let forged = format!("{}x", &credential[..credential.len() - 1]);
    assert_eq!(get(&format!("{}/v1/desk", hub.base), Some(&forged)).body["code"], "unauthorized");
    assert_eq!(get(&format!("{}/v1/desk", hub.base), None).status, 401);

    // Revoked from the command line: the very next request is refused, and says why.
    let desk_id = a.body["desk_id"].to_string();
    hub_cli(&pg.url, &["revoke-desk", "--clinic", &clinic, "--desk", &desk_id]);
    let cut = get(&format!("{}/v1/desk", hub.base), Some(&credential));
    assert_eq!((cut.status, cut.body["code"].as_str()), (401, Some("revoked")));
    assert!(cut.body["message"].as_str().unwrap().contains("new enrolment code"));
    let listed = hub_cli(&pg.url, &["list-desks", "--clinic", &clinic]);
    assert_eq!(listed, format!("{desk_id}\tFront desk 1\trevoked"));

    // Nothing secret reached the log: neither the code nor the credential's secret.
    let log = hub.log_text();
    assert!(log.contains("desk enrolled"), "{log}");
    let secret = credential.rsplit('_').next().unwrap();
    assert!(!log.contains(secret) && !log.contains(&code) && !log.contains(&code.replace('-', "")), "{log}");
}

#[test]
fn codes_expire_and_two_desks_racing_one_code_get_one_desk() {
    let pg = pg("hub_codes");
    hub_cli(&pg.url, &["migrate"]);
    let clinic = hub_cli(&pg.url, &["create-clinic", "--name", "Lakeside", "--timezone", "America/Toronto"]);
    let hub = HubProcess::serve(&pg.url, &[]);

    let expired = hub_cli(&pg.url, &["enrol-desk", "--clinic", &clinic, "--name", "Old"]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = frontdesk_hub::db::pool(&pg.url).unwrap();
        let c = pool.get().await.unwrap();
        c.execute("UPDATE enrolment_code SET expires_at = now() - interval '1 minute'", &[]).await.unwrap();
    });
    assert_eq!(enrol(&hub, &expired).body["code"], "enrolment_code_expired");

    let code = hub_cli(&pg.url, &["enrol-desk", "--clinic", &clinic, "--name", "Front desk 2"]);
    let answers: Vec<Answer> = std::thread::scope(|s| {
        let racers: Vec<_> = (0..6).map(|_| s.spawn(|| enrol(&hub, &code))).collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let won = answers.iter().filter(|a| a.status == 200).count();
    let refused = answers.iter().filter(|a| a.body["code"] == "enrolment_code_used").count();
    assert_eq!((won, refused), (1, 5));
    assert_eq!(hub_cli(&pg.url, &["list-desks", "--clinic", &clinic]).lines().count(), 1);
}

#[test]
fn clinics_and_inputs_are_checked() {
    let pg = pg("hub_inputs");
    hub_cli(&pg.url, &["migrate"]);
    let err = hub_cli_fails(&pg.url, &["create-clinic", "--name", "X", "--timezone", "Mars/Olympus"]);
    assert!(err.contains("is not a time zone"), "{err}");
    let err = hub_cli_fails(&pg.url, &["create-clinic", "--name", "  ", "--timezone", "UTC"]);
    assert!(err.contains("Enter the clinic's name"), "{err}");
    let err = hub_cli_fails(&pg.url, &["enrol-desk", "--clinic", "99", "--name", "Desk"]);
    assert!(err.contains("No clinic 99"), "{err}");
    let err = hub_cli_fails("postgres://nobody@127.0.0.1:1/none", &["migrate"]);
    assert!(err.contains("not reachable"), "{err}");
    let err = hub_cli_fails("not a url", &["migrate"]);
    assert!(err.contains("database URL is not valid"), "{err}");
}

#[test]
fn plain_http_only_on_loopback_and_https_with_a_configured_certificate() {
    let pg = pg("hub_tls");
    hub_cli(&pg.url, &["migrate"]);
    let err = hub_cli_fails(&pg.url, &["--listen", "0.0.0.0:0", "serve"]);
    assert!(err.contains("Plain HTTP is only served on loopback"), "{err}");

    let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (cert_pem, key_pem) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_pem, cert.cert.pem()).unwrap();
    std::fs::write(&key_pem, cert.key_pair.serialize_pem()).unwrap();
    let hub = HubProcess::serve_with(
        &pg.url,
        "https",
        &["--tls-cert", cert_pem.to_str().unwrap(), "--tls-key", key_pem.to_str().unwrap()],
    );
    // A client that trusts the configured certificate reaches it over TLS…
    let root = ureq::tls::Certificate::from_der(cert.cert.der()).to_owned();
    let tls = ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&[root])).build();
    let agent: ureq::Agent =
        ureq::Agent::config_builder().tls_config(tls).timeout_global(Some(Duration::from_secs(10))).build().into();
    let body = agent.get(&format!("{}/health", hub.base)).call().unwrap().body_mut().read_to_string().unwrap();
    assert!(body.contains("\"ok\""), "{body}");
    // …and one that does not trust it is refused by TLS itself.
    let plain: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(10))).build().into();
    assert!(plain.get(&format!("{}/health", hub.base)).call().is_err());
}

#[test]
fn health_says_when_the_database_is_gone() {
    let pg = pg("hub_health");
    hub_cli(&pg.url, &["migrate"]);
    let hub = HubProcess::serve(&pg.url, &[]);
    assert_eq!(get(&format!("{}/health", hub.base), None).status, 200);
    pg.cluster.stop();
    let down = get(&format!("{}/health", hub.base), None);
    assert_eq!(down.status, 503, "{}", down.body);
}
