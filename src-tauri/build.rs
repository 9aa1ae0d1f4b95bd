fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json"))
        .expect("tauri build step failed");
    // The window's files are embedded when this crate compiles: a rebuilt `ui/dist` must rebuild
    // it, or the binary keeps serving the files of an earlier build (or none at all).
    println!("cargo:rerun-if-changed=../ui/dist");
}
