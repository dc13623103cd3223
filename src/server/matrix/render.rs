//! The matrix files' one layout: an entry's members in a fixed order, each list on one
//! line, two-space indents. `render` writes a `File` back in it, so that a blessed file
//! differs from its last version only in the lists that changed (and a test holds every
//! shipped file to it).

use super::{Entry, File};

/// The file's text, as it is committed (with a final newline).
pub fn render(file: &File) -> String {
    let mut out = String::from("{\n");
    out.push_str(&format!("  \"$comment\": {},\n", string(&file.comment)));
    if file.entries.is_empty() {
        out.push_str("  \"entries\": []\n}\n");
        return out;
    }
    out.push_str("  \"entries\": [\n");
    let entries: Vec<String> = file.entries.iter().map(entry).collect();
    out.push_str(&entries.join(",\n"));
    out.push_str("\n  ]\n}\n");
    out
}

fn entry(e: &Entry) -> String {
    let mut members = vec![
        format!("\"fault\": {}", string(&e.fault)),
        format!("\"profile\": {}", string(&e.profile)),
    ];
    // Defaults are left out, as the files are written by hand.
    if !e.enabled {
        members.push("\"enabled\": false".into());
    }
    if !e.capabilities.is_empty() {
        members.push(format!("\"capabilities\": {}", list(e.capabilities.iter())));
    }
    if e.sequential {
        members.push("\"sequential\": true".into());
    }
    for (name, set) in [
        ("fails", &e.fails),
        ("warns", &e.warns),
        ("unreached", &e.unreached),
    ] {
        if !set.is_empty() {
            members.push(format!("\"{name}\": {}", list(set.iter())));
        }
    }
    members.push(format!("\"why\": {}", string(&e.why)));
    let body: Vec<String> = members.iter().map(|m| format!("      {m}")).collect();
    format!("    {{\n{}\n    }}", body.join(",\n"))
}

fn list<'a>(items: impl Iterator<Item = &'a String>) -> String {
    let items: Vec<String> = items.map(|s| string(s)).collect();
    format!("[{}]", items.join(", "))
}

/// A JSON string literal, escaped as serde_json escapes it.
fn string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

#[cfg(test)]
mod tests {
    use super::super::{embedded_texts, files};
    use super::*;

    #[test]
    fn every_shipped_file_is_in_the_one_layout() {
        let files = files().unwrap();
        for (path, text) in embedded_texts() {
            let file = files.iter().find(|f| f.path == path).unwrap();
            let rendered = render(file);
            if rendered != text {
                let line = rendered
                    .lines()
                    .zip(text.lines())
                    .position(|(a, b)| a != b)
                    .map_or(rendered.lines().count().min(text.lines().count()), |i| i);
                panic!(
                    "{path} is not in the layout `matrix::render` writes (first difference at \
                     line {}): the bless mode would rewrite more than its lists",
                    line + 1
                );
            }
        }
    }

    #[test]
    fn a_changed_list_changes_only_its_line() {
        let mut file = files().unwrap().remove(0);
        let before = render(&file);
        let i = file
            .entries
            .iter()
            .position(|e| e.unreached.is_empty() && !e.fails.is_empty())
            .unwrap();
        file.entries[i].unreached.insert("X-1".into());
        let after = render(&file);
        let added: Vec<&str> = after.lines().filter(|l| !before.contains(l)).collect();
        assert_eq!(added, vec!["      \"unreached\": [\"X-1\"],"]);
        assert_eq!(after.lines().count(), before.lines().count() + 1);
    }
}
