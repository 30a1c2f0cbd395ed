//! The layering of `src`: no import circle between files, and a core that imports no GUI.
//!
//! Every `.rs` file of the library is a node; a `use` of `crate::..`, `super::..`, `self::..`
//! or a child module (grouped forms included, re-exports too), and a path that starts with
//! `crate::` or `super::` in code, is an edge to the file that defines the module it names:
//! the longest prefix of the path that is a file `src/a/b.rs` or `src/a/b/mod.rs`. An inline
//! module belongs to its file. `mod x;` declarations are not edges. A `#[cfg(test)]` item is
//! left out: no file imports a test module, so its imports cannot close a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Module path (`["core", "preset"]`) -> file (`core/preset/mod.rs`), relative to `src`.
type Files = BTreeMap<Vec<String>, String>;

/// The library's source files by module path; `main.rs` is the binary's crate, not a module.
fn library_files(src: &Path) -> Files {
    let mut files = Files::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder).unwrap();
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path
                .strip_prefix(src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if relative == "main.rs" {
                continue;
            }
            let mut module: Vec<String> = relative
                .trim_end_matches(".rs")
                .split('/')
                .map(str::to_owned)
                .collect();
            if module
                .last()
                .is_some_and(|last| last == "mod" || last == "lib")
            {
                module.pop();
            }
            files.insert(module, relative);
        }
    }
    files
}

/// A token of Rust source, after comments and literals are gone.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    /// An identifier or keyword (`r#` dropped).
    Word(String),
    /// `::`.
    PathSep,
    /// Any other punctuation character.
    Punct(char),
}

/// The tokens of `text`, without comments, strings, characters, lifetimes or numbers.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '"' {
            i = skip_string(&chars, i + 1);
        } else if c == '\'' {
            if at(i + 1) == '\\' {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                // A lifetime or a label: its name is skipped with it.
                i += 1;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
            }
        } else if c.is_ascii_digit() {
            while at(i).is_alphanumeric()
                || at(i) == '_'
                || (at(i) == '.' && at(i + 1).is_ascii_digit())
            {
                i += 1;
            }
        } else if c.is_alphabetic() || c == '_' {
            // Raw and byte strings: r"..", r#".."#, b"..", br"..", b'..'.
            let prefix_end = match (c, at(i + 1)) {
                ('b', 'r') => i + 2,
                ('r' | 'b' | 'c', _) => i + 1,
                _ => i,
            };
            if prefix_end > i {
                let mut hashes = 0;
                while at(prefix_end + hashes) == '#' {
                    hashes += 1;
                }
                if at(prefix_end + hashes) == '"' {
                    i = skip_raw_string(
                        &chars,
                        prefix_end + hashes + 1,
                        hashes,
                        at(prefix_end - 1) == 'r',
                    );
                    continue;
                }
                if c == 'b' && at(i + 1) == '\'' {
                    i += 2;
                    if at(i) == '\\' {
                        i += 1;
                    }
                    while i < chars.len() && chars[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                    continue;
                }
                if c == 'r' && hashes == 1 {
                    i += 2; // a raw identifier
                    continue;
                }
            }
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            out.push(Token::Word(chars[start..i].iter().collect()));
        } else if c == ':' && at(i + 1) == ':' {
            out.push(Token::PathSep);
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push(Token::Punct(c));
            }
            i += 1;
        }
    }
    out
}

/// The index after the string whose contents start at `i`.
fn skip_string(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// The index after the (raw, with `hashes` `#`) string whose contents start at `i`.
fn skip_raw_string(chars: &[char], i: usize, hashes: usize, raw: bool) -> usize {
    if !raw {
        return skip_string(chars, i);
    }
    let mut i = i;
    while i < chars.len() {
        if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
            return i + 1 + hashes;
        }
        i += 1;
    }
    i
}

/// The paths a `use` tree names, each as its segments (`*` and `self` dropped, `as` ignored).
/// `i` is just after `use` or a `{`; returns the index after the closing `;` or `}`.
fn use_paths(
    tokens: &[Token],
    mut i: usize,
    prefix: &[String],
    paths: &mut Vec<Vec<String>>,
) -> usize {
    let mut path = prefix.to_vec();
    // Whether the current item names something (a group names its own items).
    let mut item = false;
    let mut renamed = false;
    while let Some(token) = tokens.get(i) {
        match token {
            Token::Word(word) if word == "as" => renamed = true,
            Token::Word(_) if renamed => {}
            Token::Word(word) if word == "self" && !path.is_empty() => item = true,
            Token::Word(word) => {
                path.push(word.clone());
                item = true;
            }
            Token::Punct('{') => {
                i = use_paths(tokens, i + 1, &path, paths);
                path = prefix.to_vec();
                item = false;
                continue;
            }
            Token::Punct(',' | '}' | ';') => {
                if item {
                    paths.push(std::mem::replace(&mut path, prefix.to_vec()));
                }
                item = false;
                renamed = false;
                if token != &Token::Punct(',') {
                    return i + 1;
                }
            }
            Token::PathSep | Token::Punct(_) => {}
        }
        i += 1;
    }
    i
}

/// The module paths that the file at module `module` imports, as written (relative or not),
/// each with the inline module it was written in.
fn imports(text: &str, module: &[String]) -> Vec<(Vec<String>, Vec<String>)> {
    let tokens = tokens(text);
    let mut found = Vec::new();
    // Inline modules open at the given brace depth.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut test_next = false;
    let mut i = 0;
    let word = |i: usize| match tokens.get(i) {
        Some(Token::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    // The module a token is in: the file's, then the inline ones open around it.
    let here = |inline: &[(String, usize)]| -> Vec<String> {
        module
            .iter()
            .cloned()
            .chain(inline.iter().map(|(m, _)| m.clone()))
            .collect()
    };
    while i < tokens.len() {
        match &tokens[i] {
            Token::Punct('#') => {
                // An attribute: `#[...]` or `#![...]`.
                let mut j = i + 1;
                if tokens.get(j) == Some(&Token::Punct('!')) {
                    j += 1;
                }
                let start = j;
                let mut brackets = 0;
                while j < tokens.len() {
                    match tokens[j] {
                        Token::Punct('[') => brackets += 1,
                        Token::Punct(']') => {
                            brackets -= 1;
                            if brackets == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let attribute = &tokens[start..j];
                if attribute.len() >= 4
                    && attribute[1] == Token::Word("cfg".into())
                    && attribute[2] == Token::Punct('(')
                    && attribute[3] == Token::Word("test".into())
                {
                    test_next = true;
                }
                i = j + 1;
                continue;
            }
            _ if test_next => {
                // Skip the test item: to its `;` or past its braced body.
                test_next = false;
                let mut braces = 0;
                while i < tokens.len() {
                    match tokens[i] {
                        Token::Punct('{') => braces += 1,
                        Token::Punct('}') => {
                            braces -= 1;
                            if braces == 0 {
                                break;
                            }
                        }
                        Token::Punct(';') if braces == 0 => break,
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            Token::Word(w) if w == "mod" => {
                if let (Some(name), Some(Token::Punct('{'))) = (word(i + 1), tokens.get(i + 2)) {
                    depth += 1;
                    inline.push((name.to_owned(), depth));
                    i += 3;
                    continue;
                }
            }
            Token::Word(w) if w == "use" => {
                let mut paths = Vec::new();
                i = use_paths(&tokens, i + 1, &[], &mut paths);
                found.extend(paths.into_iter().map(|p| (here(&inline), p)));
                continue;
            }
            Token::Word(w)
                if (w == "crate" || w == "super") && tokens.get(i + 1) == Some(&Token::PathSep) =>
            {
                let mut path = vec![w.clone()];
                let mut j = i + 1;
                while tokens.get(j) == Some(&Token::PathSep) {
                    match word(j + 1) {
                        Some(next) => path.push(next.to_owned()),
                        None => break,
                    }
                    j += 2;
                }
                found.push((here(&inline), path));
                i = j;
                continue;
            }
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                if inline.last().is_some_and(|&(_, d)| d == depth) {
                    inline.pop();
                }
                depth -= 1;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The file that defines what `path`, written in module `here`, names; `None` outside the
/// crate (std, dependencies) or for a name that is no module path.
fn resolve<'a>(files: &'a Files, here: &[String], path: &[String]) -> Option<&'a String> {
    let first = path.first()?;
    let absolute: Vec<String> = match first.as_str() {
        "crate" => path[1..].to_vec(),
        "self" => here.iter().chain(&path[1..]).cloned().collect(),
        "super" => {
            let supers = path.iter().take_while(|s| *s == "super").count();
            let base = here.get(..here.len().checked_sub(supers)?)?;
            base.iter().chain(&path[supers..]).cloned().collect()
        }
        _ => {
            // A child module of `here` (2018 paths), else something outside the crate.
            let child: Vec<String> = here.iter().chain(std::iter::once(first)).cloned().collect();
            if !files.contains_key(&child) {
                return None;
            }
            here.iter().chain(path).cloned().collect()
        }
    };
    (0..=absolute.len())
        .rev()
        .find_map(|n| files.get(&absolute[..n]))
}

/// The file-level import graph: file -> files it imports.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let files = library_files(src);
    let mut graph = BTreeMap::new();
    for (module, file) in &files {
        let text = std::fs::read_to_string(src.join(file)).unwrap();
        let mut targets = BTreeSet::new();
        for (here, path) in imports(&text, module) {
            if let Some(target) = resolve(&files, &here, &path)
                && target != file
            {
                targets.insert(target.clone());
            }
        }
        graph.insert(file.clone(), targets);
    }
    graph
}

/// The circles of `graph`: each strongly connected part of more than one file, as one circle
/// through its first file, written `a -> b -> a`.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let reaches = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(file) = stack.pop() {
            for next in graph.get(&file).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|f| (f, reaches(f))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for (file, reached) in &reach {
        if done.contains(*file) || !reached.contains(*file) {
            continue;
        }
        let part: BTreeSet<&String> = reached
            .iter()
            .filter(|other| reach[other].contains(*file))
            .collect();
        done.extend(part.iter().map(|f| (*f).clone()));
        let members: Vec<&str> = part.iter().map(|f| f.as_str()).collect();
        out.push(format!(
            "{} (the whole knot: {})",
            shortest_circle(graph, file, &part),
            members.join(", ")
        ));
    }
    out
}

/// The shortest circle from `start` back to itself inside `part`.
fn shortest_circle(
    graph: &BTreeMap<String, BTreeSet<String>>,
    start: &String,
    part: &BTreeSet<&String>,
) -> String {
    let mut previous: BTreeMap<&String, &String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(file) = queue.pop_front() {
        for next in &graph[file] {
            if !part.contains(next) || previous.contains_key(next) {
                continue;
            }
            previous.insert(next, file);
            if next == start {
                let mut circle = vec![start.as_str()];
                let mut at = file;
                while at != start {
                    circle.push(at);
                    at = previous[at];
                }
                circle.push(start);
                circle.reverse();
                return circle.join(" -> ");
            }
            queue.push_back(next);
        }
    }
    String::new()
}

fn source_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_file_of_src_is_in_an_import_circle() {
    let circles = circles(&graph(&source_folder()));
    let mut message = String::new();
    for circle in &circles {
        let _ = writeln!(message, "  {circle}");
    }
    assert!(
        circles.is_empty(),
        "import circles between files of src:\n{message}"
    );
}

#[test]
fn the_core_imports_no_window_code() {
    let outside = ["app", "ui", "cli", "command.rs", "dialog.rs"];
    let mut wrong = Vec::new();
    for (file, targets) in graph(&source_folder()) {
        if !file.starts_with("core/") {
            continue;
        }
        for target in targets {
            let top = target.split('/').next().unwrap_or_default();
            if outside.contains(&top) {
                wrong.push(format!("{file} -> {target}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "src/core imports window code:\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn the_panels_import_no_app() {
    let mut wrong = Vec::new();
    for (file, targets) in graph(&source_folder()) {
        if file.starts_with("ui/") {
            wrong.extend(
                targets
                    .iter()
                    .filter(|t| t.starts_with("app/"))
                    .map(|t| format!("{file} -> {t}")),
            );
        }
    }
    assert!(
        wrong.is_empty(),
        "src/ui imports src/app:\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn the_reader_sees_imports_in_every_form() {
    let text = r##"
        //! use crate::not::this;
        use crate::core::{preset::{self, Preset}, loss::SampleLoss as Loss};
        use super::sibling::*;
        pub use child::Thing;
        const S: &str = "use crate::nor::this;";
        const R: &str = r#"crate::nor::that"#;
        fn f<'a>(x: &'a str) -> char { let _ = crate::cases::evaluate::of(); 'u' }
        #[cfg(test)]
        mod tests { use crate::app::State; }
        mod inline { use super::super::up; }
    "##;
    let found = imports(text, &["core".into(), "here".into()]);
    let written: Vec<String> = found
        .iter()
        .map(|(m, p)| format!("{}: {}", m.join("::"), p.join("::")))
        .collect();
    assert_eq!(
        written,
        [
            "core::here: crate::core::preset",
            "core::here: crate::core::preset::Preset",
            "core::here: crate::core::loss::SampleLoss",
            "core::here: super::sibling",
            "core::here: child::Thing",
            "core::here: crate::cases::evaluate::of",
            "core::here::inline: super::super::up",
        ]
    );
}

#[test]
fn a_circle_is_named_by_its_files() {
    let edges = [
        ("a.rs", "b.rs"),
        ("b.rs", "c.rs"),
        ("c.rs", "a.rs"),
        ("d.rs", "a.rs"),
    ];
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in edges {
        graph.entry(to.to_owned()).or_default();
        graph
            .entry(from.to_owned())
            .or_default()
            .insert(to.to_owned());
    }
    assert_eq!(
        circles(&graph),
        ["a.rs -> b.rs -> c.rs -> a.rs (the whole knot: a.rs, b.rs, c.rs)"]
    );
}
