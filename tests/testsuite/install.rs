//! Installing into a desktop: `assets/weightbench.desktop` names the program, icon and window
//! class the window really uses and only file types that are defined; the MIME types in
//! `assets/weightbench-mime.xml` cover the files the window opens; and
//! `scripts/install-desktop.sh` installs and removes them under `$XDG_DATA_HOME`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use weightbench::core::outcomes::read::Format;

fn package_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(package_file(relative)).unwrap()
}

/// The app id in `src/main.rs`: the window's class and app id, and eframe's storage folder.
fn app_id() -> String {
    let main = read("src/main.rs");
    let declared = main
        .lines()
        .find_map(|line| line.strip_prefix("const APP_ID: &str = \""))
        .and_then(|rest| rest.strip_suffix("\";"))
        .expect("src/main.rs declares `const APP_ID: &str = \"...\";`");
    assert!(
        main.contains(".with_app_id(APP_ID)"),
        "the window uses APP_ID"
    );
    assert!(
        main.contains("run_native(\n        APP_ID,"),
        "eframe's storage uses APP_ID"
    );
    declared.to_owned()
}

/// The `[Desktop Entry]` group's keys.
fn desktop_entry() -> BTreeMap<String, String> {
    let text = read("assets/weightbench.desktop");
    let mut lines = text.lines().filter(|line| !line.starts_with('#'));
    assert_eq!(lines.next(), Some("[Desktop Entry]"));
    let mut keys = BTreeMap::new();
    for line in lines.filter(|line| !line.trim().is_empty()) {
        assert!(!line.starts_with('['), "one group only: {line}");
        let (key, value) = line.split_once('=').unwrap();
        assert_eq!(key.trim(), key, "no spaces around '=': {line}");
        assert!(
            keys.insert(key.to_owned(), value.to_owned()).is_none(),
            "{key} twice"
        );
    }
    keys
}

/// Each `<mime-type type="...">` in the MIME XML, with its body.
fn mime_types() -> BTreeMap<String, String> {
    let xml = read("assets/weightbench-mime.xml");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(
        xml.contains("<mime-info xmlns=\"http://www.freedesktop.org/standards/shared-mime-info\">")
            && xml.trim_end().ends_with("</mime-info>")
    );
    let mut types = BTreeMap::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find("<mime-type type=\"") {
        let after = &rest[start + "<mime-type type=\"".len()..];
        let (name, after) = after.split_once("\">").unwrap();
        let (body, after) = after.split_once("</mime-type>").unwrap();
        assert!(
            !body.contains("<mime-type"),
            "{name} is closed before the next"
        );
        types.insert(name.to_owned(), body.to_owned());
        rest = after;
    }
    // Every element opened is closed (or closes itself).
    for tag in ["mime-type", "magic", "match", "comment"] {
        let opened =
            xml.matches(&format!("<{tag} ")).count() + xml.matches(&format!("<{tag}>")).count();
        let closed = xml.matches(&format!("</{tag}>")).count()
            + xml
                .match_indices(&format!("<{tag} "))
                .filter(|(at, _)| xml[*at..].split_once('>').unwrap().0.ends_with('/'))
                .count();
        assert_eq!(
            opened, closed,
            "<{tag}> opened {opened} times, closed {closed}"
        );
    }
    types
}

#[test]
fn the_desktop_entry_starts_the_program_with_the_file_and_matches_the_window() {
    let entry = desktop_entry();
    let id = app_id();
    for key in [
        "Type",
        "Name",
        "GenericName",
        "Comment",
        "Exec",
        "Icon",
        "Terminal",
        "Categories",
        "MimeType",
        "StartupWMClass",
    ] {
        assert!(entry.contains_key(key), "{key} is missing");
    }
    assert_eq!(entry["Type"], "Application");
    assert_eq!(
        entry["Exec"],
        format!("{id} %f"),
        "one file, as the command line takes it"
    );
    assert_eq!(entry["TryExec"], id);
    assert_eq!(entry["Icon"], id);
    assert_eq!(
        entry["StartupWMClass"], id,
        "the window's class is its app id"
    );
    assert!(
        package_file(&format!("assets/{id}.desktop")).is_file(),
        "named after the app id"
    );
    assert_eq!(entry["Terminal"], "false");
    for list in ["Categories", "MimeType", "Keywords"] {
        assert!(entry[list].ends_with(';'), "{list} ends with ';'");
    }
}

#[test]
fn every_file_type_the_entry_opens_is_defined_and_covers_what_the_window_reads() {
    let entry = desktop_entry();
    let defined = mime_types();
    // Standard types that shared-mime-info itself defines.
    let standard = ["text/csv"];
    let listed: Vec<&str> = entry["MimeType"].trim_end_matches(';').split(';').collect();
    for mime in &listed {
        assert!(
            defined.contains_key(*mime) || standard.contains(mime),
            "{mime} is neither defined in assets/weightbench-mime.xml nor standard"
        );
    }
    for mime in defined.keys() {
        assert!(
            listed.contains(&mime.as_str()),
            "{mime} is defined but not opened"
        );
    }
    let preset = &defined["application/x-weightbench-preset"];
    assert!(preset.contains("<glob pattern=\"*.ron\"/>"));
    assert!(
        preset.contains("<sub-class-of type=\"text/plain\"/>"),
        "any .ron stays text"
    );
    // Every validation format has a type with its glob, but CSV: claiming text/csv would make
    // weightbench the default program of every CSV file.
    assert!(!listed.contains(&"text/csv"));
    for extension in Format::EXTENSIONS {
        let glob = format!("<glob pattern=\"*.{extension}\"/>");
        let covered = defined.values().any(|body| body.contains(&glob));
        assert!(covered || extension == "csv", "*.{extension} has no type");
    }
    assert!(defined["application/x-npz"].contains("<sub-class-of type=\"application/zip\"/>"));
    assert!(defined["application/x-npy"].contains("value=\"\\x93NUMPY\""));
}

#[test]
fn the_script_installs_under_xdg_data_home_and_uninstalls_everything_it_installed() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let script = package_file("scripts/install-desktop.sh");
    let run = |args: &[&str]| {
        let output = Command::new("bash")
            .arg(&script)
            .args(args)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", &data)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let bin = env!("CARGO_BIN_EXE_weightbench");
    run(&["--bin", bin]);
    let entry = data.join("applications/weightbench.desktop");
    let icon = data.join("icons/hicolor/128x128/apps/weightbench.png");
    let types = data.join("mime/packages/weightbench-mime.xml");
    let installed = std::fs::read_to_string(&entry).unwrap();
    assert!(
        installed.contains(&format!("\nExec={bin} %f\n")),
        "{installed}"
    );
    assert!(
        installed.contains(&format!("\nTryExec={bin}\n")),
        "{installed}"
    );
    assert_eq!(
        std::fs::read(&icon).unwrap(),
        std::fs::read(package_file("assets/icon.png")).unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(&types).unwrap(),
        read("assets/weightbench-mime.xml")
    );
    run(&["--uninstall"]);
    for file in [&entry, &icon, &types] {
        assert!(!file.exists(), "{} is left", file.display());
    }
}
