//! The fault list: every fault of the reference server, declared once — its variant, its
//! kebab-case name (what `--fault` and the matrix files use), the server flavors it can
//! show in, and one line saying what goes wrong. Grouped by the rule family it breaks,
//! which is also the matrix file its entries live in (`matrix_data/<family>.json`).
//!
//! A flavor is left out where the fault touches a code path that flavor does not have:
//! client secrets as management credentials and 404 for unknown clients are Ory's;
//! Bearer tokens, RFC 7592's 401 for unknown ids and its update checks are the Rfc7592
//! flavor's. The `disabled-*` faults show only on a server with registration switched off.
//! The registration-only `Rfc7591` flavor registers with the `Rfc7592` flavor's code, so a
//! registration fault is proven there and lists `Rfc7591` only when a rule of a
//! registration-only profile needs it (the `mcp` scenarios: `secret-for-public`).

use super::super::Flavor;

declare_faults! {
    // Faults of the Ory contract rules, and the response shape every flavor shares.
    ory {
        Create200 "create-200" [Ory, Rfc7592]
            "create answers 200 instead of 201",
        CreateNoSecret "create-no-secret" [Ory, Rfc7592]
            "create omits client_secret",
        SecretOnGet "secret-on-get" [Ory, Rfc7592]
            "GET returns client_secret",
        NoEchoOnSet "no-echo-on-set" [Ory]
            "PUT that sets a secret does not echo it",
        EchoOnSilentPut "echo-on-silent-put" [Ory, Rfc7592]
            "PUT without client_secret returns the stored secret",
        NewSecretOnSilentPut "new-secret-on-silent-put" [Ory, Rfc7592]
            "PUT without client_secret silently replaces the secret with a new random one, not returned",
        KeepOldSecretOnSet "keep-old-secret-on-set" [Ory]
            "PUT with a new secret echoes it but keeps authenticating the old one only",
        AcceptAnySecret "accept-any-secret" [Ory, Rfc7592]
            "any non-empty secret (or registration access token) authenticates",
        UnboundClientId "unbound-client-id" [Ory, Rfc7592]
            "Basic credentials and Bearer tokens are not bound to the path's client: another client's work",
        IgnoreQuerySecret "ignore-query-secret" [Ory]
            "a client_secret_post client's query secret is never read, so it cannot authenticate",
        BasicNoUrldecode "basic-no-urldecode" [Ory]
            "Basic id and secret are not form-urldecoded after base64",
        Unknown401 "unknown-401" [Ory]
            "an unknown client id answers 401 instead of 404",
        Unknown200 "unknown-200" [Ory, Rfc7592]
            "an unknown client id answers 200 {}",
        Unknown500 "unknown-500" [Ory, Rfc7592]
            "an unknown client id answers 500",
        HtmlErrors "html-errors" [Ory, Rfc7592]
            "every error body is an HTML page (text/html)",
        TextErrors "text-errors" [Ory, Rfc7592]
            "every error body is plain text (text/plain)",
        Disabled403 "disabled-403" [Ory, Rfc7592]
            "when disabled, the endpoints answer 403 instead of 404",
        Disabled200 "disabled-200" [Ory, Rfc7592]
            "when disabled, the endpoints answer 200 {}",
        NullArrays "null-arrays" [Ory, Rfc7592]
            "empty array fields come back as null (as Hydra v2.3.0 does)",
        DeleteKeeps "delete-keeps" [Ory, Rfc7592]
            "DELETE answers 204 but keeps the client",
        Delete200 "delete-200" [Ory, Rfc7592]
            "DELETE answers 200 with a JSON body instead of 204",
        PutMerges "put-merges" [Ory, Rfc7592]
            "PUT merges into the stored metadata instead of replacing it",
        NoWwwAuthenticate "no-www-authenticate" [Ory, Rfc7592]
            "401 answers carry no WWW-Authenticate header",
        NoCacheHeaders "no-cache-headers" [Ory, Rfc7592]
            "responses carry no Cache-Control/Pragma headers",
        DeleteErrorNoMessage "delete-error-no-message" [Ory, Rfc7592]
            "DELETE's error bodies lack genericError's message (as Hydra v2.3.0's do), with the feature on or off",
        AnonymousRead "anonymous-read" [Ory, Rfc7592]
            "a GET without any credential (no Authorization, no client_secret) is answered: the secret or token is checked only when one is sent",
        AnonymousUpdate "anonymous-update" [Ory]
            "a PUT without any credential is applied: the secret is checked only when one is sent",
        AnonymousDelete "anonymous-delete" [Ory]
            "a DELETE without any credential deletes the client: the secret is checked only when one is sent",
        // Narrow refusal faults (ops/refusals.rs): each breaks one check of Ory's refusal
        // scenarios that the broad credential faults above only break beside another.
        DeleteIgnoresSecret "delete-ignores-secret" [Ory]
            "DELETE checks that the credentials name the client but not the secret: a wrong secret deletes it",
        RefusedUpdateApplies "refused-update-applies" [Ory, Rfc7592]
            "a PUT whose credentials are refused is answered 401 after its body was written: the check runs after the write",
        // A failure after the work is done (a hook or an audit write that fails after the
        // commit): the answer carries the right body under the wrong status. They break
        // the status preconditions of every scenario's setup, which nothing else reaches.
        Create500Stored "create-500-stored" [Ory, Rfc7592, Rfc7591]
            "registration stores the client and sends it, but answers 500",
        Read500 "read-500" [Ory, Rfc7592]
            "reading a client sends it, but answers 500",
        Update500Stored "update-500-stored" [Ory, Rfc7592]
            "an update is stored and the client sent, but the answer is 500",
        // Proves the preconditions of a scenario's second registration, which the faults
        // above stop short of; its matrix entries run the scenarios one at a time.
        IdCollision500 "id-collision-500" [Ory, Rfc7592]
            "client ids come from a counter that never advances: a registration while another client exists collides with it and answers 500",
        SetSecret201 "set-secret-201" [Ory]
            "a PUT that sets a client_secret answers 201 Created (the new secret taken for a new resource); the update and its echo are right",
        // One route each: the Basic-credentials middleware wired to the other routes only.
        ReadRefusesBasic "read-refuses-basic" [Ory]
            "GET on a client's configuration URL refuses HTTP Basic credentials (401 invalid_client); a client_secret_post client's query secret works",
        UpdateRefusesBasic "update-refuses-basic" [Ory]
            "PUT on a client's configuration URL refuses HTTP Basic credentials (401 invalid_client); a client_secret_post client's query secret works",
        DeleteRefusesBasic "delete-refuses-basic" [Ory]
            "DELETE on a client's configuration URL refuses HTTP Basic credentials (401 invalid_client); a client_secret_post client's query secret works",
    }
    // Faults of the RFC 7592 management rules.
    rfc7592 {
        Unknown404 "unknown-404" [Rfc7592]
            "an unknown client id answers 404 instead of 401 (as Hydra did before ory/hydra#1617)",
        UnknownInvalidClient "unknown-invalid-client" [Rfc7592]
            "an unknown client id answers 401 invalid_client where a bad token gets invalid_token (as Authlib does), telling the two apart",
        InvalidToken400 "invalid-token-400" [Rfc7592]
            "a token that is not the client's answers 400 access_denied without a challenge (as older Authlib did)",
        ErrorOnMissingToken "error-on-missing-token" [Rfc7592]
            "a request without any token gets error=\"invalid_token\" in its challenge",
        BearerCaseSensitive "bearer-case-sensitive" [Rfc7592]
            "the Bearer auth-scheme is matched case-sensitively, so `bearer <token>` is refused",
        DeleteNeedsClientSecret "delete-needs-client-secret" [Rfc7592]
            "DELETE authenticates with the client's own id and secret (HTTP Basic, as Ory documents), not the registration access token",
        UnauthorizedLeaksClient "unauthorized-leaks-client" [Ory, Rfc7592]
            "a refused request for an existing client carries the client's record in its error body (debug output left on)",
        ReadWrongContentType "read-wrong-content-type" [Ory, Rfc7592]
            "GET answers the client's JSON as text/plain",
        ClientIdUppercased "client-id-uppercased" [Ory, Rfc7592]
            "read and update answers spell the client_id in upper case, as a store that normalises ids would",
        ReadOmitsDefaults "read-omits-defaults" [Ory, Rfc7592]
            "GET leaves out members that hold their server default (token_endpoint_auth_method, grant_types, response_types)",
        ReadOmitsRegistrationCredentials "read-omits-registration-credentials" [Rfc7592]
            "GET leaves out registration_access_token and registration_client_uri (as Hydra v2.3.0 does)",
        ClientUriOtherOrigin "client-uri-other-origin" [Rfc7592]
            "registration_client_uri names another origin (port 9 of the server's host, where nothing answers), as a server behind a misconfigured proxy or one harvesting tokens would",
        ReadReappliesDefaults "read-reapplies-defaults" [Ory, Rfc7592]
            "each GET saves the client back with the default grant type appended again, so the next read differs",
        ReadRotates "read-rotates" [Rfc7592]
            "every GET hands out a new registration access token and revokes the one presented",
        UpdateAnswersStale "update-answers-stale" [Ory, Rfc7592]
            "PUT stores the update but answers with the metadata as it was before",
        UpdateAnswersOldToken "update-answers-old-token" [Rfc7592]
            "PUT rotates the registration access token but answers with the old, now dead one",
        OldTokenSurvivesRotation "old-token-survives-rotation" [Rfc7592]
            "PUT hands out a new registration access token but the previous one keeps working",
        PutAppendsArrays "put-appends-arrays" [Ory, Rfc7592]
            "PUT adds the array values it is sent (redirect_uris, contacts, ...) to the stored ones instead of replacing them",
        PutMissingClientIdAccepted "put-missing-client-id-accepted" [Rfc7592]
            "a PUT without client_id is applied (as Hydra v2.3.0 does)",
        PutIgnoresClientIdMismatch "put-ignores-client-id-mismatch" [Ory, Rfc7592]
            "a PUT whose body names another client_id is applied to the URL's client anyway (as Hydra v2.3.0 does)",
        PutAppliesServerManaged "put-applies-server-managed" [Ory, Rfc7592]
            "a PUT's registration_client_uri and client_id_issued_at overwrite the server's values, and no server-managed member is refused",
        PutAdoptsChosenSecret "put-adopts-chosen-secret" [Rfc7592]
            "a PUT's client_secret replaces the stored secret and is echoed (Ory's documented contract) under RFC 7592 too",
        PutSkipsValidation "put-skips-validation" [Ory, Rfc7592]
            "PUT stores redirect URIs without the checks create applies (a fragment is accepted)",
        PutNullResets "put-null-resets" [Ory, Rfc7592]
            "a PUT whose body is JSON null resets the client as if it were an empty object (as Hydra v2.3.0 does)",
        UnsupportedMethod404 "unsupported-method-404" [Ory, Rfc7592]
            "PATCH and POST on a client's configuration URL answer 404 instead of 405, and change nothing (as Keycloak 26.4.7 does)",
        PatchMerges "patch-merges" [Ory, Rfc7592]
            "PATCH on a client's configuration URL is accepted and merged into the client",
        MissingToken400 "missing-token-400" [Rfc7592]
            "a request without any token to a client's configuration endpoint answers 400 invalid_request, without a challenge",
        // A handler's own token lookup whose miss falls through to the operation: a token
        // of another client is still refused, one that names no client is let through.
        ReadUnissuedToken "read-unissued-token" [Rfc7592]
            "GET lets through a registration access token that was never issued (its token lookup's miss fails open)",
        DeleteUnissuedToken "delete-unissued-token" [Rfc7592]
            "DELETE lets through a registration access token that was never issued (its token lookup's miss fails open)",
        // Issue 12: narrow faults, each breaking one check of a scenario (ops/narrow.rs).
        ReadTokenCacheMiss "read-token-cache-miss" [Rfc7592]
            "reads look the client up in a cache filled on a miss, and answer the miss as an unknown client: a client's first GET gets 401 invalid_token, later ones work",
        Update201 "update-201" [Rfc7592]
            "PUT answers 201 Created (as a create would) with the right body",
        UpdateWrongContentType "update-wrong-content-type" [Rfc7592]
            "PUT answers the client's JSON as text/plain",
        ClientPost500 "client-post-500" [Rfc7592]
            "POST on a client's configuration URL crashes (500) instead of being refused, changing nothing",
        AllowOmitsGet "allow-omits-get" [Rfc7592]
            "a 405 at a client's configuration URL lists only the write methods in Allow (PUT, DELETE): reads are served by another route the header is not computed from",
        AllowOmitsPut "allow-omits-put" [Rfc7592]
            "a 405 at a client's configuration URL carries a hard-coded Allow: GET, HEAD, DELETE written before updates were added",
        AllowOmitsDelete "allow-omits-delete" [Rfc7592]
            "a 405 at a client's configuration URL lists GET, HEAD, PUT in Allow: DELETE lives on an admin router the header is not computed from",
        PutErrors500 "put-errors-500" [Rfc7592]
            "every PUT the server refuses with 400 (no or another client_id, server-managed members, a wrong client_secret, a body that is no JSON object, invalid metadata) answers 500 server_error: the update handler's validation errors are not mapped, nothing is changed",
        PutUpdatesBodyClient "put-updates-body-client" [Rfc7592]
            "a PUT whose body names another client's client_id writes the new metadata to that client (the save is keyed by the body's id); the URL's client only gets its token rotated",
        PutUpsertsBodyClient "put-upserts-body-client" [Rfc7592]
            "a PUT whose body names another client's client_id is written over that client, the URL client's registration access token included (an upsert keyed by the body's client_id); the URL's client is unchanged",
        PutArray500 "put-array-500" [Ory, Rfc7592]
            "a PUT whose body is a JSON array crashes (500) instead of being refused, changing nothing",
        PutMalformed500 "put-malformed-500" [Rfc7592]
            "a PUT whose body is malformed JSON answers 500: the decoder's syntax error is not mapped to 400; nothing is changed",
        PutEchoesRegistrationToken "put-echoes-registration-token" [Rfc7592]
            "a PUT carrying registration_access_token is not refused, and its answer echoes that token in place of the rotated one the server stored (the answer built from the request body, as Hydra v2.3.0 echoes a registration_client_uri)",
        PutAdoptsRegistrationToken "put-adopts-registration-token" [Rfc7592]
            "a PUT's registration_access_token becomes the client's token (a client-chosen credential); the other server-managed members are ignored, not refused",
        PutSavesSecretInMetadata "put-saves-secret-in-metadata" [Rfc7592]
            "a PUT's client_secret is not compared with the current one but saved with the client's metadata: the answer leaves it out, later reads show it",
        PutRefusalKeepsChosenSecret "put-refusal-keeps-chosen-secret" [Rfc7592]
            "a PUT with a client_secret that is not the current one is refused 400, but only after the secret was saved (no transaction): the chosen secret is the client's from then on",
        ReadRevokesToken "read-revokes-token" [Rfc7592]
            "every GET revokes the registration access token it was presented with, and its answer still carries that token: a read hands out no new one",
        UpdateAnswersUnsavedToken "update-answers-unsaved-token" [Rfc7592]
            "PUT mints the rotated registration access token twice, stores one and answers the other: the answered token never works",
        UpdateKeepsToken "update-keeps-token" [Rfc7592]
            "PUT does not rotate the registration access token: the answer carries the token presented",
        ReadOmitsClientName "read-omits-client-name" [Rfc7592]
            "GET leaves out client_name (the read serializer has no field for it); create and update answers carry it",
        ReadOmitsRedirectUris "read-omits-redirect-uris" [Rfc7592]
            "GET leaves out redirect_uris (the read serializer has no field for it); create and update answers carry them",
        ReadOmitsContacts "read-omits-contacts" [Rfc7592]
            "GET leaves out contacts (the read serializer has no field for it); create and update answers carry them",
        ReadOmitsClientUri "read-omits-client-uri" [Rfc7592]
            "GET leaves out client_uri (the read serializer has no field for it); create and update answers carry it",
        ReadOmitsPolicyUri "read-omits-policy-uri" [Rfc7592]
            "GET leaves out policy_uri (the read serializer has no field for it); create and update answers carry it",
        ReadOmitsTosUri "read-omits-tos-uri" [Rfc7592]
            "GET leaves out tos_uri (the read serializer has no field for it); create and update answers carry it",
        ReadOmitsTokenEndpointAuthMethod "read-omits-token-endpoint-auth-method" [Rfc7592]
            "GET leaves out token_endpoint_auth_method, whatever its value (the read serializer has no field for it)",
        ReadOmitsGrantTypes "read-omits-grant-types" [Rfc7592]
            "GET leaves out grant_types, whatever their value (the read serializer has no field for them)",
        ReadOmitsResponseTypes "read-omits-response-types" [Rfc7592]
            "GET leaves out response_types, whatever their value (the read serializer has no field for them)",
        ReadOmitsRegistrationAccessToken "read-omits-registration-access-token" [Rfc7592]
            "GET leaves out registration_access_token but answers registration_client_uri (OpenID Connect Registration §4.3 lets a server leave an unchanged token out)",
        ReadOmitsRegistrationClientUri "read-omits-registration-client-uri" [Rfc7592]
            "GET answers registration_access_token but leaves out registration_client_uri",
        UpdateClientIdUppercased "update-client-id-uppercased" [Rfc7592]
            "update answers spell the client_id in upper case (reads are right), as an update path that normalises ids would",
        ReadResavesNameTruncated "read-resaves-name-truncated" [Rfc7592]
            "each GET saves the client back with client_name cut to 32 characters (the column's width, enforced only on that path), so the next read differs",
        ReadResavesRedirectSlash "read-resaves-redirect-slash" [Rfc7592]
            "each GET saves the client back with '/' appended to each redirect URI (a normalizer on that path), so the next read differs",
        ReadResavesContactsMailto "read-resaves-contacts-mailto" [Rfc7592]
            "each GET saves the client back with its contacts turned into mailto: URIs, so the next read differs",
        ReadReappliesResponseType "read-reapplies-response-type" [Rfc7592]
            "each GET saves the client back with the default response type appended again, so the next read differs",
    }
    // Faults of the RFC 7591 registration rules.
    rfc7591 {
        JsonCharsetRefused "json-charset-refused" [Ory, Rfc7592]
            "create refuses Content-Type application/json with a charset parameter (415): the media type is compared as a whole string",
        LenientContentType "lenient-content-type" [Ory, Rfc7592]
            "create parses the body as JSON whatever its Content-Type, text/plain included",
        NullBody500 "null-body-500" [Ory, Rfc7592]
            "a JSON body that is not an object (null, an array, a string) crashes create: 500",
        RejectUnknown "reject-unknown" [Ory, Rfc7592]
            "create refuses metadata members it does not know with 400 invalid_client_metadata",
        UnknownSentenceError "unknown-sentence-error" [Ory, Rfc7592]
            "create refuses metadata members it does not know with 400 and a sentence quoting the member as the error (as Keycloak 26.4.7's JSON binding answers)",
        MultilineTypeErrors "multiline-type-errors" [Ory, Rfc7592]
            "a wrong-type refusal's error_description lists the issues on separate lines with the member in double quotes (as the MCP SDKs' validation errors do)",
        RedirectOptional "redirect-optional" [Ory, Rfc7592]
            "create registers clients of redirect-based grants without redirect_uris",
        CreateTextPlain "create-text-plain" [Ory, Rfc7592]
            "create answers its JSON body with Content-Type text/plain",
        EchoRequestMembers "echo-request-members" [Ory, Rfc7592]
            "create answers the request body merged over the issued members, so a request's client_id replaces the issued one",
        ClientIdFromName "client-id-from-name" [Ory, Rfc7592]
            "client_id is derived from client_name: a second registration of the same name is answered with the first client, its id and credentials",
        SharedSecret "shared-secret" [Ory, Rfc7592]
            "every client is issued the same client_secret",
        NoSecretExpiry "no-secret-expiry" [Ory, Rfc7592]
            "create answers a client_secret without client_secret_expires_at",
        IssuedAtMillis "issued-at-millis" [Ory, Rfc7592]
            "create answers client_id_issued_at in milliseconds, not seconds",
        OmitDefaults "omit-defaults" [Ory, Rfc7592]
            "create echoes only the members the request sent: defaulted token_endpoint_auth_method, grant_types and response_types are left out",
        RefuseEmptyClientId "refuse-empty-client-id" [Ory, Rfc7592]
            "create refuses a request carrying client_id \"\" with invalid_client_metadata (as Keycloak 26.4.7 does)",
        OmitDefaultTypes "omit-default-types" [Ory, Rfc7592]
            "create leaves defaulted grant_types and response_types out of its answer (a client then assumes RFC 7591's defaults); token_endpoint_auth_method is echoed",
        DropInfoMembers "drop-info-members" [Ory, Rfc7592]
            "create and update drop contacts, policy_uri and tos_uri: the client is stored and answered without them (as Keycloak 26.4.7 does)",
        NormalizeRedirectUris "normalize-redirect-uris" [Ory, Rfc7592]
            "create stores and echoes redirect URIs as a URL parser rewrites them (lower-case host, '/' for an empty path)",
        EmptyStringUris "empty-string-uris" [Ory, Rfc7592]
            "create answers omitted URL members (client_uri, logo_uri, policy_uri, tos_uri, jwks_uri) as empty strings (Hydra issue #4116)",
        JwksWithJwksUri "jwks-with-jwks-uri" [Ory, Rfc7592]
            "create answers an empty jwks object beside a registered jwks_uri (as Hydra v2.3.0's read does)",
        // Only the Ory flavor issues no registration access token.
        ClientUriWithoutToken "client-uri-without-token" [Ory]
            "create answers a registration_client_uri but no registration_access_token",
        SecretForPublic "secret-for-public" [Ory, Rfc7592, Rfc7591]
            "create issues a client_secret to a public client (token_endpoint_auth_method none)",
        NoSecretForDefaultMethod "no-secret-for-default-method" [Ory, Rfc7592]
            "a client that omits token_endpoint_auth_method gets no secret: secrets follow the requested method, not the defaulted one",
        DefaultGrantClientCredentials "default-grant-client-credentials" [Ory, Rfc7592]
            "an omitted grant_types is defaulted, after validation, to client_credentials",
        DefaultResponseToken "default-response-token" [Ory, Rfc7592]
            "an omitted response_types is defaulted, after validation, to token",
        AcceptFragment "accept-fragment" [Ory, Rfc7592]
            "create accepts redirect URIs with a fragment",
        AcceptRelativeRedirect "accept-relative-redirect" [Ory, Rfc7592]
            "create accepts redirect URIs that are not absolute",
        // Only the Rfc7592 flavor refuses plain-http redirect URIs of remote hosts.
        AllowHttpRedirect "allow-http-redirect" [Rfc7592]
            "create accepts plain-http redirect URIs of remote hosts",
        AcceptJwksAndUri "accept-jwks-and-uri" [Ory, Rfc7592]
            "create accepts jwks and jwks_uri together",
        AcceptInconsistentTypes "accept-inconsistent-types" [Ory, Rfc7592]
            "create stores response_types the grant_types do not serve (code without authorization_code)",
        StoreBogusGrant "store-bogus-grant" [Ory, Rfc7592]
            "create stores grant types it does not support, verbatim",
        TypeErrors500 "type-errors-500" [Ory, Rfc7592]
            "a wrongly typed metadata member crashes create: 500",
        InvalidRequestCode "invalid-request-code" [Ory, Rfc7592]
            "create reports metadata errors as invalid_request, a code RFC 7591 does not define for them",
        BodyInDescription "body-in-description" [Ory, Rfc7592]
            "create's error descriptions echo the request body, double quotes and all",
        ClientOnError "client-on-error" [Ory, Rfc7592]
            "create issues the client_id before validating, and a refusal's error body carries it",
        Error422 "error-422" [Ory, Rfc7592]
            "create answers metadata errors with 422 Unprocessable Entity instead of 400",
        RedirectAlwaysRequired "redirect-always-required" [Ory, Rfc7592]
            "create requires redirect_uris even of clients without a redirect-based grant",
        // Only the Ory flavor holds implicit clients to OpenID Connect's redirect URIs.
        ImplicitHttpRedirect "implicit-http-redirect" [Ory]
            "the Ory flavor lets a web client of the implicit grant register http or localhost redirect URIs",
        WrongTypeUnknownError "wrong-type-unknown-error" [Ory, Rfc7592]
            "create refuses a wrongly typed member 400 with error unknown_error (Keycloak's \"Cannot parse the JSON\")",
        // Not a defect either: a string for a string array registered as a one-item array
        // is a replacement with a suitable value (RFC 7591 §3.2.1; issue 15, 2h: Spring).
        CoerceStringArrays "coerce-string-arrays" [Rfc7592]
            "create takes a string where an array of strings belongs and registers it as a one-item array",
        // Not a defect: RFC 7591 §3.2.1 lets a server replace requested metadata. The
        // entry proves the public-client check tells a replacement from a leak (issue 15, 2g).
        PublicMadeConfidential "public-made-confidential" [Rfc7592]
            "create replaces a requested token_endpoint_auth_method none with client_secret_basic and issues a secret, as Spring Authorization Server does",
        // A value parsed into a closed enum that throws on one it does not know: neither
        // registered nor refused, so the scenarios that send one stop at their precondition.
        UnknownGrantType500 "unknown-grant-type-500" [Ory, Rfc7592]
            "a grant type the server does not know crashes registration: 500",
        UnknownAuthMethod500 "unknown-auth-method-500" [Ory, Rfc7592]
            "a token_endpoint_auth_method the server does not know crashes registration: 500",
        AcceptFormBody "accept-form-body" [Ory, Rfc7592]
            "create also binds an application/x-www-form-urlencoded body as metadata (a framework binding forms and JSON alike)",
        MalformedJson500 "malformed-json-500" [Ory, Rfc7592]
            "a syntax error in create's JSON body (truncated JSON) crashes create: 500",
        EmptyClientId500 "empty-client-id-500" [Ory, Rfc7592]
            "a registration request carrying client_id \"\" crashes create: 500",
        AnswerCredentialsOnly "answer-credentials-only" [Ory, Rfc7592]
            "create answers only what it issued (client_id, secret, its expiry, issued-at, registration credentials), none of the registered metadata",
        // Only under Bearer management can dcrspec delete a client whose method it cannot
        // authenticate with.
        StoreBogusMethod "store-bogus-method" [Rfc7592]
            "create stores a token_endpoint_auth_method it does not support, verbatim",
        StoreWrongTypes "store-wrong-types" [Ory, Rfc7592]
            "create skips the type checks of the metadata members and stores a wrongly typed member as sent",
        NumericClientId "numeric-client-id" [Ory, Rfc7592]
            "create answers client_id as a JSON number (a numeric store key serialised as is); the id still names the client in paths",
        AnswerInArray "answer-in-array" [Ory, Rfc7592]
            "create answers the client inside a one-item JSON array (the store's inserted rows serialised as is)",
        StoreStringRedirectUris "store-string-redirect-uris" [Ory, Rfc7592]
            "create validates a string redirect_uris as one redirect URI, then stores and answers the string as sent",
        AnswerOmitsGrantTypes "answer-omits-grant-types" [Ory, Rfc7592]
            "create's answer leaves out grant_types, also when the request sent them (reads answer them)",
        AnswerOmitsResponseTypes "answer-omits-response-types" [Ory, Rfc7592]
            "create's answer leaves out response_types, also when the request sent them (reads answer them)",
    }
    // Faults of protected registration: the initial access token (RFC 7591 §3, RFC 6750).
    // All but `open-registration-refused` show only on a server given a token.
    protected {
        IatNotRequired "iat-not-required" [Ory, Rfc7592]
            "protected registration registers a request that carries no initial access token",
        IatAnyToken "iat-any-token" [Ory, Rfc7592]
            "protected registration takes any Bearer token as an initial access token",
        IatFromBody "iat-from-body" [Ory, Rfc7592]
            "protected registration also takes the initial access token from an access_token member of the JSON body",
        IatCaseSensitive "iat-case-sensitive" [Ory, Rfc7592]
            "protected registration takes the initial access token only after the scheme spelled exactly \"Bearer\", not \"bearer\"",
        Iat403 "iat-403" [Ory, Rfc7592]
            "protected registration answers a wrong initial access token with 403 access_denied instead of 401 invalid_token",
        IatNoChallenge "iat-no-challenge" [Ory, Rfc7592]
            "protected registration refuses a request without a token with 401 but no WWW-Authenticate challenge",
        OpenRegistrationRefused "open-registration-refused" [Ory, Rfc7592]
            "a server given no initial access token still refuses every registration without an Authorization header with 401",
        IatMissingErrorCode "iat-missing-error-code" [Ory, Rfc7592]
            "protected registration answers a request without any token with a challenge that carries error=\"invalid_token\"",
        IatLowercaseScheme "iat-lowercase-scheme" [Ory, Rfc7592]
            "protected registration takes the initial access token only after the scheme spelled \"bearer\" (compared with a lower-case literal) and answers \"Bearer\" 400 invalid_request, a malformed Authorization header",
    }
    // Faults of the token endpoint: issued credentials that do not work as RFC 6749 says.
    rfc6749 {
        TokenRefusesBasic "token-refuses-basic" [Ory, Rfc7592]
            "the token endpoint refuses HTTP Basic client authentication, even with the right credentials",
        // Only a secret with reserved characters shows it, and only the Ory contract lets
        // dcrspec choose one (PUT with client_secret).
        TokenBasicRaw "token-basic-raw" [Ory]
            "the token endpoint compares the Basic id and secret without form-urldecoding them",
        TokenRefusesPost "token-refuses-post" [Ory, Rfc7592]
            "the token endpoint refuses client_id and client_secret in the form body",
        TokenPostAnySecret "token-post-any-secret" [Ory, Rfc7592]
            "the token endpoint accepts any client_secret in the form body for a known client_id",
        TokenBasic400 "token-basic-400" [Ory, Rfc7592]
            "a failed Basic authentication at the token endpoint answers 400 without a WWW-Authenticate challenge",
        TokenQueryCredentials "token-query-credentials" [Ory, Rfc7592]
            "the token endpoint accepts client_id and client_secret in the URL query",
        // Only RFC 7592's rule judges the token after a DELETE (under auth:bearer).
        TokenAfterDelete "token-after-delete" [Rfc7592]
            "a deleted client's credentials still get tokens (the token endpoint keeps a stale copy)",
        TokenUnauthorizedClient "token-unauthorized-client" [Ory, Rfc7592]
            "a failed client authentication at the token endpoint is answered with error unauthorized_client instead of invalid_client (status and challenge unchanged; Keycloak 26 does this)",
    }
    // Faults only the fuzzer's properties see: crashes on generated metadata, torn writes.
    fuzz {
        LongName500 "long-name-500" [Ory, Rfc7592]
            "POST or PUT with a client_name over 200 characters answers 500",
        NonAsciiName500 "non-ascii-name-500" [Ory, Rfc7592]
            "POST or PUT with a non-ASCII character in client_name answers 500",
        NullField500 "null-field-500" [Ory, Rfc7592]
            "POST or PUT with any member explicitly null answers 500",
        TornPut "torn-put" [Ory, Rfc7592]
            "PUT writes the new metadata one member at a time, so concurrent PUTs interleave",
    }
    // Faults of the registration credentials that tell a registration-only server from a
    // managed one (RFC7592-3-a, RFC7592-OPT-a).
    regonly {
        NoRegistrationCredentials "no-registration-credentials" [Rfc7592]
            "create answers neither registration_access_token nor registration_client_uri, though the client can be managed only with them",
        DanglingRegistrationCredentials "dangling-registration-credentials" [Rfc7591]
            "a registration-only server answers a registration_access_token and a registration_client_uri, and that URI answers 404",
    }
    // Faults MCP clients break on (profile mcp).
    mcp {
        RefuseLocalhostRedirect "refuse-localhost-redirect" [Rfc7591]
            "create refuses http://localhost redirect URIs and takes only loopback IP literals (as node-oidc-provider does for native clients)",
        HighLoopbackPortRefused "high-loopback-port-refused" [Rfc7591]
            "create refuses loopback redirect URIs whose port is above 32767, where operating systems hand out ephemeral ports (the port is read as a signed 16-bit number)",
        NullOmittedMembers "null-omitted-members" [Rfc7591]
            "create answers every string or array member the request left out as null (the ory/hydra#4116 class that broke mcp-remote, Cursor and the MCP TypeScript SDK)",
        PublicExpiryNull "public-expiry-null" [Rfc7591]
            "create answers a client it issued no secret (a public client) with client_secret_expires_at null, not 0 (an optional field serialised without skipping None)",
    }
    // Discovery: the metadata document against what registration does (suites/discovery/).
    discovery {
        Metadata404 "metadata-404" [Ory, Rfc7592]
            "both well-known metadata documents answer 404: the server publishes no metadata",
        RelativeRegistrationEndpoint "relative-registration-endpoint" [Ory, Rfc7592]
            "the metadata names the registration endpoint by a relative reference (/oauth2/register)",
        IssuerMismatch "issuer-mismatch" [Ory, Rfc7592]
            "the metadata's issuer carries a trailing slash the issuer it was fetched for lacks",
        HttpBehindProxy "http-behind-proxy" [Ory, Rfc7592]
            "the metadata advertises the registration endpoint as plain http on its public host name (a TLS-terminating proxy's scheme lost)",
        // Only under Bearer management can dcrspec delete a client_secret_jwt client, so
        // only the Rfc7592 flavor's runs register with the method.
        AdvertiseUnsupportedMethod "advertise-unsupported-method" [Rfc7592]
            "the metadata advertises token_endpoint_auth_method client_secret_jwt, which registration refuses",
        // Only under Bearer management can dcrspec delete a public client (see above).
        RefusePublicClients "refuse-public-clients" [Rfc7592]
            "registration refuses token_endpoint_auth_method none, which the metadata advertises",
        UnadvertisedMethod "unadvertised-method" [Ory, Rfc7592]
            "the metadata leaves client_secret_post and none out of token_endpoint_auth_methods_supported, though registration accepts and echoes them",
        AdvertiseWhenDisabled "advertise-when-disabled" [Ory, Rfc7592]
            "with registration switched off, the metadata still advertises the registration endpoint",
        MetadataHtml "metadata-html" [Ory, Rfc7592]
            "the well-known metadata paths answer 200 with an HTML page (a single-page app's catch-all route)",
        MetadataWithoutIssuer "metadata-without-issuer" [Ory, Rfc7592]
            "the metadata document has no issuer member",
        UnadvertisedDefaultGrant "unadvertised-default-grant" [Ory, Rfc7592]
            "the metadata's grant_types_supported leaves out authorization_code, the grant registration defaults to",
        UnadvertisedDefaultResponse "unadvertised-default-response" [Ory, Rfc7592]
            "the metadata's response_types_supported leaves out code, the response type registration defaults to",
        // Only the Rfc7592 flavor: the Ory contract's own scenarios register client_secret_post
        // clients, and its management authenticates them by their query secret.
        RefuseSecretPost "refuse-secret-post" [Rfc7592]
            "registration refuses token_endpoint_auth_method client_secret_post, which the metadata advertises",
        PostMadeBasic "post-made-basic" [Rfc7592]
            "registration takes token_endpoint_auth_method client_secret_post but registers and echoes client_secret_basic, though the metadata advertises client_secret_post",
    }
}
