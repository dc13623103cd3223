//! Text generators for metadata values: names, free text, and the URIs, origins,
//! e-mails and scopes a server will take as well-formed. Characters shrink towards `a`.

use proptest::collection;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

/// Names above this length are "long"; the long-name alternative reaches twice that.
pub(super) const LONG_NAME: usize = 200;

/// Characters for names: `a`-`z` first (what shrinking aims for), or anything at all.
pub(super) fn name_char() -> BoxedStrategy<char> {
    prop_oneof![proptest::char::range('a', 'z'), proptest::char::any()].boxed()
}

/// Any Unicode text, short.
pub fn any_text() -> BoxedStrategy<String> {
    collection::vec(name_char(), 0..24)
        .prop_map(String::from_iter)
        .boxed()
}

/// A client name: any Unicode, mostly short; a third are a short prefix and a run of one
/// character up to twice [`LONG_NAME`] long.
pub fn name_text() -> BoxedStrategy<String> {
    let long = (
        collection::vec(name_char(), 0..4),
        name_char(),
        0..=2 * LONG_NAME,
    )
        .prop_map(|(prefix, c, n)| {
            let mut s = String::from_iter(prefix);
            s.extend(std::iter::repeat_n(c, n));
            s
        });
    prop_oneof![2 => any_text(), 1 => long].boxed()
}

pub(super) fn host() -> BoxedStrategy<String> {
    "[a-z][a-z0-9]{0,7}"
        .prop_map(|h| format!("{h}.example"))
        .boxed()
}

pub(super) fn path() -> BoxedStrategy<String> {
    (
        collection::vec("[a-z0-9]{1,6}", 0..3),
        proptest::option::of("[a-z]{1,4}=[a-z0-9]{0,4}"),
    )
        .prop_map(|(segments, query)| {
            let mut p = segments.join("/");
            if let Some(q) = query {
                p.push('?');
                p.push_str(&q);
            }
            p
        })
        .boxed()
}

/// Absolute URIs without a fragment (RFC 6749 §3.1.2): https, loopback http, and
/// private-use schemes of native apps (RFC 8252 §7.1).
pub fn uri() -> BoxedStrategy<String> {
    prop_oneof![
        4 => (host(), proptest::option::of(1024u16..), path()).prop_map(|(h, port, p)| {
            let port = port.map(|n| format!(":{n}")).unwrap_or_default();
            format!("https://{h}{port}/{p}")
        }),
        1 => (1024u16.., path()).prop_map(|(port, p)| format!("http://127.0.0.1:{port}/{p}")),
        1 => ("[a-z]{1,8}", path()).prop_map(|(app, p)| format!("com.{app}.app:/{p}")),
    ]
    .boxed()
}

pub(super) fn origin() -> BoxedStrategy<String> {
    (host(), proptest::option::of(1024u16..))
        .prop_map(|(h, port)| match port {
            Some(n) => format!("https://{h}:{n}"),
            None => format!("https://{h}"),
        })
        .boxed()
}

pub(super) fn email() -> BoxedStrategy<String> {
    ("[a-z0-9][a-z0-9._+-]{0,9}", host())
        .prop_map(|(local, h)| format!("{local}@{h}"))
        .boxed()
}

/// Space-separated scope tokens (RFC 6749 §3.3).
pub(super) fn scope() -> BoxedStrategy<String> {
    collection::vec("[a-z][a-z0-9:._-]{0,8}", 0..4)
        .prop_map(|tokens| tokens.join(" "))
        .boxed()
}
