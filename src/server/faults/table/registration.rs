//! Faults of the RFC 7591 registration rules.

use super::super::Fault;
use super::Entry;

pub(super) const REGISTRATION: &[Entry] = &[
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
];
