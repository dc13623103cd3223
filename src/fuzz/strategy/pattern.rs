//! Strings from a schema `pattern`: the regex with anchors dropped and repetitions
//! capped, so generated values stay plausible.

use proptest::strategy::{BoxedStrategy, Strategy};
use proptest::string;
use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};

/// Strings matching a schema `pattern`, with anchors dropped and every repetition capped
/// (`+` is at most 3, `*` at most 2) so values stay plausible (`"12h5m"`, not 32-digit
/// counts). `None` when the pattern is beyond proptest's generator.
pub fn from_pattern(pattern: &str) -> Option<BoxedStrategy<String>> {
    let hir = regex_syntax::parse(pattern).ok()?;
    string::string_regex_parsed(&bounded(hir))
        .ok()
        .map(|s| s.boxed())
}

fn bounded(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Look(_) => Hir::empty(),
        HirKind::Repetition(r) => {
            let cap = r.min.saturating_add(2);
            Hir::repetition(Repetition {
                min: r.min,
                max: Some(r.max.map_or(cap, |m| m.min(cap))),
                greedy: r.greedy,
                sub: Box::new(bounded(*r.sub)),
            })
        }
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name,
            sub: Box::new(bounded(*c.sub)),
        }),
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(bounded).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(bounded).collect()),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) => Hir::literal(l.0),
        HirKind::Class(c) => Hir::class(c),
    }
}
