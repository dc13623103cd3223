//! Faults of the Ory contract rules (and the response shape every flavor shares).

use super::super::Fault;
use super::Entry;

pub(super) const ORY: &[Entry] = &[
    (
        Fault::Create200,
        "create-200",
        "create answers 200 instead of 201",
    ),
    (
        Fault::CreateNoSecret,
        "create-no-secret",
        "create omits client_secret",
    ),
    (
        Fault::SecretOnGet,
        "secret-on-get",
        "GET returns client_secret",
    ),
    (
        Fault::NoEchoOnSet,
        "no-echo-on-set",
        "PUT that sets a secret does not echo it",
    ),
    (
        Fault::EchoOnSilentPut,
        "echo-on-silent-put",
        "PUT without client_secret returns the stored secret",
    ),
    (
        Fault::NewSecretOnSilentPut,
        "new-secret-on-silent-put",
        "PUT without client_secret silently replaces the secret with a new random one, not returned",
    ),
    (
        Fault::KeepOldSecretOnSet,
        "keep-old-secret-on-set",
        "PUT with a new secret echoes it but keeps authenticating the old one only",
    ),
    (
        Fault::AcceptAnySecret,
        "accept-any-secret",
        "any non-empty secret (or registration access token) authenticates",
    ),
    (
        Fault::UnboundClientId,
        "unbound-client-id",
        "Basic credentials and Bearer tokens are not bound to the path's client: another client's work",
    ),
    (
        Fault::IgnoreQuerySecret,
        "ignore-query-secret",
        "a client_secret_post client's query secret is never read, so it cannot authenticate",
    ),
    (
        Fault::BasicNoUrldecode,
        "basic-no-urldecode",
        "Basic id and secret are not form-urldecoded after base64",
    ),
    (
        Fault::Unknown401,
        "unknown-401",
        "an unknown client id answers 401 instead of 404",
    ),
    (
        Fault::Unknown200,
        "unknown-200",
        "an unknown client id answers 200 {}",
    ),
    (
        Fault::Unknown500,
        "unknown-500",
        "an unknown client id answers 500",
    ),
    (
        Fault::HtmlErrors,
        "html-errors",
        "every error body is an HTML page (text/html)",
    ),
    (
        Fault::TextErrors,
        "text-errors",
        "every error body is plain text (text/plain)",
    ),
    (
        Fault::Disabled403,
        "disabled-403",
        "when disabled, the endpoints answer 403 instead of 404",
    ),
    (
        Fault::Disabled200,
        "disabled-200",
        "when disabled, the endpoints answer 200 {}",
    ),
    (
        Fault::NullArrays,
        "null-arrays",
        "empty array fields come back as null (as Hydra v2.3.0 does)",
    ),
    (
        Fault::DeleteKeeps,
        "delete-keeps",
        "DELETE answers 204 but keeps the client",
    ),
    (
        Fault::Delete200,
        "delete-200",
        "DELETE answers 200 with a JSON body instead of 204",
    ),
    (
        Fault::PutMerges,
        "put-merges",
        "PUT merges into the stored metadata instead of replacing it",
    ),
    (
        Fault::NoWwwAuthenticate,
        "no-www-authenticate",
        "401 answers carry no WWW-Authenticate header",
    ),
    (
        Fault::NoCacheHeaders,
        "no-cache-headers",
        "responses carry no Cache-Control/Pragma headers",
    ),
    (
        Fault::DeleteErrorNoMessage,
        "delete-error-no-message",
        "DELETE's error bodies lack genericError's message (as Hydra v2.3.0's do), with the feature on or off",
    ),
];
