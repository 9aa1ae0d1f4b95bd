//! The UI's TypeScript bindings are generated from the Rust types and the command table, and
//! committed. This test regenerates them and fails when the committed file has drifted; run it
//! with `UPDATE_BINDINGS=1` to rewrite the file after changing a wire type or a command.

use std::path::PathBuf;

fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn generate() -> String {
    let mut out = String::from(
        "// Generated from the Rust types and the command table by\n\
         // `UPDATE_BINDINGS=1 cargo test -p frontdesk-desktop --test bindings`. Do not edit by hand.\n\
         /* eslint-disable */\n\
         import { invoke } from \"@tauri-apps/api/core\";\n\n",
    );
    out.push_str(&frontdesk::bindings::type_declarations());
    out.push_str("/** The name of the event every window receives after each committed change. */\n");
    out.push_str("export const EVENT_CHANNEL = \"frontdesk://event\";\n\n");
    for c in frontdesk_desktop::commands::specs() {
        out.push_str(&format!("/** {} */\n", c.doc.trim()));
        match c.request {
            Some(req) => out.push_str(&format!(
                "export function {}(req: {req}): Promise<{}> {{\n  return invoke(\"{}\", {{ req }});\n}}\n\n",
                camel(c.name),
                c.response,
                c.name
            )),
            None => out.push_str(&format!(
                "export function {}(): Promise<{}> {{\n  return invoke(\"{}\");\n}}\n\n",
                camel(c.name),
                c.response,
                c.name
            )),
        }
    }
    out
}

#[test]
fn typescript_bindings_match_the_rust_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    let fresh = generate();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).expect("write ui/src/bindings.ts");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/bindings.ts has drifted from the Rust types: the UI would call commands with the wrong shapes. \
         Regenerate it with `UPDATE_BINDINGS=1 cargo test -p frontdesk-desktop --test bindings` and commit it."
    );
}
