//! The fault table: every fault's kebab-case name and one-line description, in
//! declaration order (so a fault's discriminant indexes it), and the faults alone.

use super::Fault;

/// Every fault with its name and description, in declaration order.
pub(super) const TABLE: &[(Fault, &str, &str)] = &[
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
    // RFC 7592 management faults
    (
        Fault::Unknown404,
        "unknown-404",
        "an unknown client id answers 404 instead of 401 (as Hydra did before ory/hydra#1617)",
    ),
    (
        Fault::UnknownInvalidClient,
        "unknown-invalid-client",
        "an unknown client id answers 401 invalid_client where a bad token gets invalid_token (as Authlib does), telling the two apart",
    ),
    (
        Fault::InvalidToken400,
        "invalid-token-400",
        "a token that is not the client's answers 400 access_denied without a challenge (as older Authlib did)",
    ),
    (
        Fault::ErrorOnMissingToken,
        "error-on-missing-token",
        "a request without any token gets error=\"invalid_token\" in its challenge",
    ),
    (
        Fault::BearerCaseSensitive,
        "bearer-case-sensitive",
        "the Bearer auth-scheme is matched case-sensitively, so `bearer <token>` is refused",
    ),
    (
        Fault::DeleteNeedsClientSecret,
        "delete-needs-client-secret",
        "DELETE authenticates with the client's own id and secret (HTTP Basic, as Ory documents), not the registration access token",
    ),
    (
        Fault::UnauthorizedLeaksClient,
        "unauthorized-leaks-client",
        "a refused request for an existing client carries the client's record in its error body (debug output left on)",
    ),
    (
        Fault::ReadWrongContentType,
        "read-wrong-content-type",
        "GET answers the client's JSON as text/plain",
    ),
    (
        Fault::ClientIdUppercased,
        "client-id-uppercased",
        "read and update answers spell the client_id in upper case, as a store that normalises ids would",
    ),
    (
        Fault::ReadOmitsDefaults,
        "read-omits-defaults",
        "GET leaves out members that hold their server default (token_endpoint_auth_method, grant_types, response_types)",
    ),
    (
        Fault::ReadOmitsRegistrationCredentials,
        "read-omits-registration-credentials",
        "GET leaves out registration_access_token and registration_client_uri (as Hydra v2.3.0 does)",
    ),
    (
        Fault::ReadReappliesDefaults,
        "read-reapplies-defaults",
        "each GET saves the client back with the default grant type appended again, so the next read differs",
    ),
    (
        Fault::ReadRotates,
        "read-rotates",
        "every GET hands out a new registration access token and revokes the one presented",
    ),
    (
        Fault::UpdateAnswersStale,
        "update-answers-stale",
        "PUT stores the update but answers with the metadata as it was before",
    ),
    (
        Fault::UpdateAnswersOldToken,
        "update-answers-old-token",
        "PUT rotates the registration access token but answers with the old, now dead one",
    ),
    (
        Fault::OldTokenSurvivesRotation,
        "old-token-survives-rotation",
        "PUT hands out a new registration access token but the previous one keeps working",
    ),
    (
        Fault::PutAppendsArrays,
        "put-appends-arrays",
        "PUT adds the array values it is sent (redirect_uris, contacts, ...) to the stored ones instead of replacing them",
    ),
    (
        Fault::PutMissingClientIdAccepted,
        "put-missing-client-id-accepted",
        "a PUT without client_id is applied (as Hydra v2.3.0 does)",
    ),
    (
        Fault::PutIgnoresClientIdMismatch,
        "put-ignores-client-id-mismatch",
        "a PUT whose body names another client_id is applied to the URL's client anyway (as Hydra v2.3.0 does)",
    ),
    (
        Fault::PutAppliesServerManaged,
        "put-applies-server-managed",
        "a PUT's registration_client_uri and client_id_issued_at overwrite the server's values, and no server-managed member is refused",
    ),
    (
        Fault::PutAdoptsChosenSecret,
        "put-adopts-chosen-secret",
        "a PUT's client_secret replaces the stored secret and is echoed (Ory's documented contract) under RFC 7592 too",
    ),
    (
        Fault::PutSkipsValidation,
        "put-skips-validation",
        "PUT stores redirect URIs without the checks create applies (a fragment is accepted)",
    ),
    (
        Fault::PutNullResets,
        "put-null-resets",
        "a PUT whose body is JSON null resets the client as if it were an empty object (as Hydra v2.3.0 does)",
    ),
    (
        Fault::PatchMerges,
        "patch-merges",
        "PATCH on a client's configuration URL is accepted and merged into the client",
    ),
    // RFC 7591 registration faults
    (
        Fault::JsonCharsetRefused,
        "json-charset-refused",
        "create refuses Content-Type application/json with a charset parameter (415): the media type is compared as a whole string",
    ),
    (
        Fault::LenientContentType,
        "lenient-content-type",
        "create parses the body as JSON whatever its Content-Type, text/plain included",
    ),
    (
        Fault::NullBody500,
        "null-body-500",
        "a JSON body that is not an object (null, an array, a string) crashes create: 500",
    ),
    (
        Fault::RejectUnknown,
        "reject-unknown",
        "create refuses metadata members it does not know with 400 invalid_client_metadata",
    ),
    (
        Fault::RedirectOptional,
        "redirect-optional",
        "create registers clients of redirect-based grants without redirect_uris",
    ),
    (
        Fault::CreateTextPlain,
        "create-text-plain",
        "create answers its JSON body with Content-Type text/plain",
    ),
    (
        Fault::EchoRequestMembers,
        "echo-request-members",
        "create answers the request body merged over the issued members, so a request's client_id replaces the issued one",
    ),
    (
        Fault::ClientIdFromName,
        "client-id-from-name",
        "client_id is derived from client_name: a second registration of the same name is answered with the first client, its id and credentials",
    ),
    (
        Fault::SharedSecret,
        "shared-secret",
        "every client is issued the same client_secret",
    ),
    (
        Fault::NoSecretExpiry,
        "no-secret-expiry",
        "create answers a client_secret without client_secret_expires_at",
    ),
    (
        Fault::IssuedAtMillis,
        "issued-at-millis",
        "create answers client_id_issued_at in milliseconds, not seconds",
    ),
    (
        Fault::OmitDefaults,
        "omit-defaults",
        "create echoes only the members the request sent: defaulted token_endpoint_auth_method, grant_types and response_types are left out",
    ),
    (
        Fault::NormalizeRedirectUris,
        "normalize-redirect-uris",
        "create stores and echoes redirect URIs as a URL parser rewrites them (lower-case host, '/' for an empty path)",
    ),
    (
        Fault::EmptyStringUris,
        "empty-string-uris",
        "create answers omitted URL members (client_uri, logo_uri, policy_uri, tos_uri, jwks_uri) as empty strings (Hydra issue #4116)",
    ),
    (
        Fault::JwksWithJwksUri,
        "jwks-with-jwks-uri",
        "create answers an empty jwks object beside a registered jwks_uri (as Hydra v2.3.0's read does)",
    ),
    (
        Fault::ClientUriWithoutToken,
        "client-uri-without-token",
        "create answers a registration_client_uri but no registration_access_token",
    ),
    (
        Fault::SecretForPublic,
        "secret-for-public",
        "create issues a client_secret to a public client (token_endpoint_auth_method none)",
    ),
    (
        Fault::NoSecretForDefaultMethod,
        "no-secret-for-default-method",
        "a client that omits token_endpoint_auth_method gets no secret: secrets follow the requested method, not the defaulted one",
    ),
    (
        Fault::DefaultGrantClientCredentials,
        "default-grant-client-credentials",
        "an omitted grant_types is defaulted, after validation, to client_credentials",
    ),
    (
        Fault::DefaultResponseToken,
        "default-response-token",
        "an omitted response_types is defaulted, after validation, to token",
    ),
    (
        Fault::AcceptFragment,
        "accept-fragment",
        "create accepts redirect URIs with a fragment",
    ),
    (
        Fault::AcceptRelativeRedirect,
        "accept-relative-redirect",
        "create accepts redirect URIs that are not absolute",
    ),
    (
        Fault::AllowHttpRedirect,
        "allow-http-redirect",
        "create accepts plain-http redirect URIs of remote hosts",
    ),
    (
        Fault::AcceptJwksAndUri,
        "accept-jwks-and-uri",
        "create accepts jwks and jwks_uri together",
    ),
    (
        Fault::AcceptInconsistentTypes,
        "accept-inconsistent-types",
        "create stores response_types the grant_types do not serve (code without authorization_code)",
    ),
    (
        Fault::StoreBogusGrant,
        "store-bogus-grant",
        "create stores grant types it does not support, verbatim",
    ),
    (
        Fault::TypeErrors500,
        "type-errors-500",
        "a wrongly typed metadata member crashes create: 500",
    ),
    (
        Fault::InvalidRequestCode,
        "invalid-request-code",
        "create reports metadata errors as invalid_request, a code RFC 7591 does not define for them",
    ),
    (
        Fault::BodyInDescription,
        "body-in-description",
        "create's error descriptions echo the request body, double quotes and all",
    ),
    (
        Fault::ClientOnError,
        "client-on-error",
        "create issues the client_id before validating, and a refusal's error body carries it",
    ),
    (
        Fault::Error422,
        "error-422",
        "create answers metadata errors with 422 Unprocessable Entity instead of 400",
    ),
    (
        Fault::RedirectAlwaysRequired,
        "redirect-always-required",
        "create requires redirect_uris even of clients without a redirect-based grant",
    ),
    (
        Fault::ImplicitHttpRedirect,
        "implicit-http-redirect",
        "the Ory flavor lets a web client of the implicit grant register http or localhost redirect URIs",
    ),
    (
        Fault::LongName500,
        "long-name-500",
        "POST or PUT with a client_name over 200 characters answers 500",
    ),
    (
        Fault::NonAsciiName500,
        "non-ascii-name-500",
        "POST or PUT with a non-ASCII character in client_name answers 500",
    ),
    (
        Fault::NullField500,
        "null-field-500",
        "POST or PUT with any member explicitly null answers 500",
    ),
    (
        Fault::TornPut,
        "torn-put",
        "PUT writes the new metadata one member at a time, so concurrent PUTs interleave",
    ),
];

/// `TABLE`'s faults alone, for `Fault::all`.
pub(super) const ALL: [Fault; TABLE.len()] = {
    let mut all = [Fault::Create200; TABLE.len()];
    let mut i = 0;
    while i < TABLE.len() {
        all[i] = TABLE[i].0;
        i += 1;
    }
    all
};
