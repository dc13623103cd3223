//! The README's rules table is generated from the rule catalogue, so it cannot drift
//! from what dcrspec checks. `DCRSPEC_BLESS=1 cargo test --test readme` rewrites it.

use dcrspec::suite::load;

fn rules_table() -> String {
    let suite = load::embedded().unwrap();
    let mut out = String::from("| id | level | source | what is checked |\n|---|---|---|---|\n");
    for r in suite.catalogue.iter() {
        let what = r
            .summary
            .clone()
            .unwrap_or_else(|| r.quote.clone())
            .replace('|', "\\|")
            .replace('\n', " ");
        out.push_str(&format!(
            "| `{}` | {} | {} §{} | {} |\n",
            r.id,
            r.level.as_str(),
            r.source,
            r.section,
            what
        ));
    }
    out
}

#[test]
fn readme_rules_table_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let (Some(a), Some(b)) = (readme.find(start), readme.find(end)) else {
        panic!("README.md lacks the {start:?} … {end:?} markers");
    };
    let table = rules_table();
    if std::env::var_os("DCRSPEC_BLESS").is_some() {
        std::fs::write(
            &path,
            format!("{}{table}{}", &readme[..a + start.len()], &readme[b..]),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        &readme[a + start.len()..b],
        table,
        "README's rules table is out of date: DCRSPEC_BLESS=1 cargo test --test readme"
    );
}
