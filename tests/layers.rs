//! The core's shape, checked: modules form layers with one-way dependencies (no cycle can come
//! back), production code never depends on the demo, and every change goes through the desk's
//! unit of work (no other module opens a transaction, writes an audit row or takes the raw
//! connection).

use std::collections::BTreeMap;
use std::path::Path;

/// The core's modules from the bottom up. A module may use only modules of earlier layers;
/// modules of one layer are independent of each other.
const LAYERS: &[&[&str]] = &[
    &["error"],
    &["roles", "status", "phone", "password", "events", "audit", "clock"],
    &["store"],
    &["clinic"],
    &["desk"],
    &["session", "settings", "compliance"],
    &["staff", "audit_desk", "support"],
    &["schedule"],
    &["waitlist", "control_center"],
    &["booking"],
    &["practice"],
    &["search"],
    &["callbacks"],
    &["patients"],
    // Bringing patients in from other systems: validates, writes and screens through patients.
    &["import"],
    &["alerts"],
    &["escalations"],
    &["sla"],
    &["work"],
    // The demo seeds through everything; nothing may depend on it (the shell's `--demo` aside).
    &["bindings", "demo"],
];

/// What only the unit of work (`desk`) may do, and the few modules that legitimately do it
/// outside a person's change: `store` migrates, `demo` seeds a whole clinic in one transaction.
const WRITE_PATH_ONLY: &[(&str, &[&str])] = &[
    ("transaction_with_behavior", &["desk", "store", "demo"]),
    ("audit::record", &["desk", "demo"]),
    (".db()", &["desk", "demo"]),
    ("record_activity", &["desk", "session"]),
    // Admits someone who still holds a temporary password: only for changing it.
    ("for_password_change", &["desk", "staff"]),
];

fn sources() -> BTreeMap<String, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .filter(|(name, _)| name != "lib")
        .collect()
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The crate modules a source file names (`crate::booking`, `crate::{a, b}` is not used here).
fn uses(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in source.match_indices("crate::") {
        let rest = &source[i + "crate::".len()..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

#[test]
fn every_module_is_in_a_layer() {
    for name in sources().keys() {
        assert!(layer_of(name).is_some(), "src/{name}.rs is in no layer: add it to LAYERS in tests/layers.rs");
    }
}

#[test]
fn modules_depend_only_on_lower_layers() {
    let mut wrong = Vec::new();
    for (name, source) in sources() {
        let Some(mine) = layer_of(&name) else { continue };
        for used in uses(&source) {
            if used == name {
                continue;
            }
            match layer_of(&used) {
                Some(theirs) if theirs < mine => {}
                Some(_) => wrong.push(format!("{name} → {used}")),
                None => {}
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "these dependencies point up or sideways (a cycle in the making): {wrong:?}. Move the shared part down a layer."
    );
}

#[test]
fn only_the_unit_of_work_writes() {
    let mut wrong = Vec::new();
    for (name, source) in sources() {
        for (needle, allowed) in WRITE_PATH_ONLY {
            if !allowed.contains(&name.as_str()) && source.contains(needle) {
                wrong.push(format!("src/{name}.rs uses {needle}"));
            }
        }
    }
    assert!(wrong.is_empty(), "changes must go through Ctx::write / Desk::system_write: {wrong:?}");
}

#[test]
fn the_checker_sees_a_cycle() {
    // The checker itself: a module naming a module of a later layer is caught.
    let src = "use crate::booking::book;\nfn f() { crate::demo::seed(); }";
    assert_eq!(uses(src), ["booking", "demo"]);
    assert!(layer_of("demo") > layer_of("booking"));
}
