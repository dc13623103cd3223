//! Where a run's suite files come from: the built-in suites or a `--suites` directory
//! (which replaces them), plus any `--extra-suites` directories (added to them). Gathers
//! the texts and the digest's names; `load::from_sources` checks them as one suite, so an
//! extra rule or scenario id that collides with another is refused naming both files.

use std::path::{Path, PathBuf};

use crate::error::LoadError;

use super::Suite;
use super::digest::suites_digest;

/// One suite file: the name errors show, the name the digest's manifest uses, the text.
struct Source {
    shown: String,
    manifest: String,
    text: String,
}

/// The suites of a run: `suites` (or the built-in ones) and every `extra` directory.
pub fn load(suites: Option<&Path>, extra: &[PathBuf]) -> Result<Suite, LoadError> {
    let mut sources = match suites {
        Some(dir) => dir_sources(dir, "")?,
        None => embedded_sources(),
    };
    for dir in extra {
        // Extra files are named `<directory name>/<path>` in the manifest, so the digest
        // tells "built-ins plus this directory" from the built-ins alone.
        let prefix = dir
            .file_name()
            .map(|n| format!("{}/", n.to_string_lossy()))
            .unwrap_or_else(|| "extra/".into());
        sources.extend(dir_sources(dir, &prefix)?);
    }
    let digest = suites_digest(
        sources
            .iter()
            .map(|s| (s.manifest.as_str(), s.text.as_bytes())),
    );
    let mut suite =
        super::load::from_sources(sources.into_iter().map(|s| (s.shown, s.text)).collect())?;
    suite.catalogue = suite.catalogue.with_digest(digest);
    Ok(suite)
}

fn embedded_sources() -> Vec<Source> {
    super::embedded::FILES
        .iter()
        .map(|(n, t)| Source {
            shown: n.to_string(),
            manifest: n.strip_prefix("suites/").unwrap_or(n).to_string(),
            text: t.to_string(),
        })
        .collect()
}

/// Every `*.json` file under `dir`, recursively, in path order.
fn dir_sources(dir: &Path, prefix: &str) -> Result<Vec<Source>, LoadError> {
    let shown = dir.display().to_string();
    if !dir.is_dir() {
        return Err(LoadError::new(shown, "not a directory of suite files"));
    }
    let mut paths = Vec::new();
    collect_json(dir, &mut paths).map_err(|e| LoadError::new(shown.clone(), e.to_string()))?;
    paths.sort();
    if paths.is_empty() {
        return Err(LoadError::new(
            shown,
            "no *.json suite files in this directory",
        ));
    }
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p)
            .map_err(|e| LoadError::new(p.display().to_string(), e.to_string()))?;
        // The digest names files as `sha256sum` would from inside `dir`, with `/`.
        let rel = p.strip_prefix(dir).unwrap_or(&p);
        let rel: Vec<_> = rel.iter().map(|c| c.to_string_lossy()).collect();
        out.push(Source {
            shown: p.display().to_string(),
            manifest: format!("{prefix}{}", rel.join("/")),
            text,
        });
    }
    Ok(out)
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_json(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}
