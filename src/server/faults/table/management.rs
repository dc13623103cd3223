//! Faults of the RFC 7592 management rules.

use super::super::Fault;
use super::Entry;

pub(super) const MANAGEMENT: &[Entry] = &[
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
        Fault::ClientUriOtherOrigin,
        "client-uri-other-origin",
        "registration_client_uri names another origin (port 9 of the server's host, where nothing answers), as a server behind a misconfigured proxy or one harvesting tokens would",
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
];
