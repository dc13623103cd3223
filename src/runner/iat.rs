//! Initial access tokens (RFC 7591 §3), for a server whose registration is protected:
//! where the token comes from — given once (`--initial-access-token`,
//! `DCRSPEC_INITIAL_ACCESS_TOKEN`) or minted by a command for each registration, for
//! single-use tokens (`--initial-access-token-command`) — and putting it on a registration
//! request as an RFC 6750 Bearer token.
//!
//! The token goes on a POST to the registration endpoint only: never on a request to a
//! client's configuration endpoint (that one carries the registration access token),
//! never to an origin the run was not told about, and never on a step that says how it
//! authenticates itself (`auth`, or its own `Authorization` header). Every token, given or
//! minted, is handed to the scenario's redactor before anything is recorded, so it shows
//! in no report, console line or reproduction command.

use std::fmt;
use std::process::Stdio;
use std::time::Duration;

use crate::http::Request;
use crate::redact::Redactor;
use crate::schema::Operation;
use crate::suite::RequestSpec;

use super::RunContext;

/// The template variable a step's body may use for the token (`{{initial_access_token}}`):
/// minted for that step only, and only if the step names it.
pub const VAR: &str = "initial_access_token";

/// The environment variable CI gives the token in (never echoed).
pub const ENV: &str = "DCRSPEC_INITIAL_ACCESS_TOKEN";

/// How long a minting command may take at most.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// Where the initial access token comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum Source {
    /// One token for every registration.
    Token(String),
    /// A shell command that prints one fresh token on stdout, run for each registration.
    Command(String),
}

impl fmt::Debug for Source {
    // A token must not reach a log line through `{:?}` either.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Token(_) => f.write_str("Token([redacted])"),
            Source::Command(_) => f.write_str("Command([redacted])"),
        }
    }
}

impl Source {
    /// The token or command from the command line and the environment: an explicit flag
    /// wins over `DCRSPEC_INITIAL_ACCESS_TOKEN`; an empty variable counts as unset (what
    /// a CI gives a job that has no access to the secret). `Err` never quotes the token.
    pub fn from_args(
        token: Option<&str>,
        command: Option<&str>,
        env: Option<String>,
    ) -> Result<Option<Source>, String> {
        let source = match (token, command) {
            (Some(_), Some(_)) => {
                return Err(
                    "give --initial-access-token or --initial-access-token-command, not both"
                        .into(),
                );
            }
            (Some(t), None) => Some((Source::Token(t.to_string()), "--initial-access-token")),
            (None, Some(c)) => Some((Source::Command(c.to_string()), "")),
            (None, None) => env
                .filter(|t| !t.is_empty())
                .map(|t| (Source::Token(t), ENV)),
        };
        match source {
            Some((Source::Token(t), from)) => {
                check_token(&t).map_err(|e| format!("{from}: {e}"))?;
                Ok(Some(Source::Token(t)))
            }
            Some((Source::Command(c), _)) if c.trim().is_empty() => {
                Err("--initial-access-token-command: the command is empty".into())
            }
            Some((s, _)) => Ok(Some(s)),
            None => Ok(None),
        }
    }

    /// One token: the given one, or a fresh one from the command.
    pub async fn mint(&self) -> Result<String, String> {
        match self {
            Source::Token(t) => Ok(t.clone()),
            Source::Command(c) => run_command(c).await,
        }
    }
}

/// A token must fit in an `Authorization: Bearer` header as RFC 6750 §2.1's `b64token`
/// (letters, digits, `-._~+/`, then `=` padding). The message never quotes it.
pub fn check_token(token: &str) -> Result<(), String> {
    if token.is_empty() {
        return Err("the initial access token is empty".into());
    }
    let body = token.trim_end_matches('=');
    let ok = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~+/".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the initial access token ({} characters, not shown) is not an RFC 6750 Bearer \
             token: only letters, digits, -._~+/ and trailing = may appear",
            token.chars().count()
        ))
    }
}

/// The token for a run against the embedded reference server, and the one its protected
/// mode accepts: the given token, or (none given) a random one the run mints for itself.
/// A command cannot be used there: the server must know the token before the run starts.
/// Returns (the token the server accepts, the run's source); both `None` when open.
pub fn for_embedded(
    protected: bool,
    given: Option<Source>,
) -> Result<(Option<String>, Option<Source>), String> {
    if !protected {
        return Ok((None, given));
    }
    match given {
        Some(Source::Token(t)) => Ok((Some(t.clone()), Some(Source::Token(t)))),
        Some(Source::Command(_)) => Err(
            "--initial-access-token-command mints tokens for a server of your own; against the \
             embedded reference server give --initial-access-token, or neither (it mints one)"
                .into(),
        ),
        None => {
            let t = format!("dcrspec-iat-{}", super::random_token());
            Ok((Some(t.clone()), Some(Source::Token(t))))
        }
    }
}

/// Whether the step's body asks for the token by name (`{{initial_access_token}}`), as a
/// scenario that offers it somewhere else than the Authorization header does.
pub fn named_in(spec: &RequestSpec) -> bool {
    let needle = format!("{{{{{VAR}}}}}");
    spec.json
        .as_ref()
        .is_some_and(|j| j.to_string().contains(&needle))
        || spec.body.as_ref().is_some_and(|b| b.contains(&needle))
        || spec.headers.values().any(|v| v.contains(&needle))
        || spec.query.values().any(|v| v.contains(&needle))
}

/// How a request is authorized, as far as the initial access token goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Not a registration, or the step says how it authenticates (`auth`, its own
    /// `Authorization` header): nothing to add, and its answer is judged as it comes.
    Step,
    /// A registration left to dcrspec, under open registration: sent without a token.
    Open,
    /// A registration left to dcrspec, with the run's token: it gets the Bearer token.
    Token,
}

/// Whether dcrspec decides how this registration authenticates, and what it decides: a
/// POST to the registration endpoint whose step says nothing of its own authentication
/// gets the run's token (if the run has one and the request stays within the run's
/// origins), else goes without.
pub fn choose(
    ctx: &RunContext,
    spec: Option<&RequestSpec>,
    operation: Option<Operation>,
    req: &Request,
) -> Choice {
    let own = spec.is_some_and(|s| s.auth.is_some())
        || req
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("authorization"));
    if operation != Some(Operation::Create) || own || !ctx.profile.enabled {
        return Choice::Step;
    }
    let allowed = ctx.http.origins().is_none_or(|o| o.allows(&req.url));
    if ctx.iat.is_some() && allowed {
        Choice::Token
    } else {
        Choice::Open
    }
}

/// Why the answer to a registration dcrspec authorized itself cannot be judged: a 401
/// refuses dcrspec's choice (the token, or going without), not the metadata, so every
/// check on it would be a false verdict. The scenario errors with this instead.
pub fn refused(choice: Choice, status: u16) -> Option<&'static str> {
    match (choice, status) {
        (Choice::Token, 401) => Some(
            "the registration endpoint refused the initial access token (401): is it wrong, \
             expired or used up? A single-use token needs --initial-access-token-command",
        ),
        (Choice::Open, 401) => Some(
            "the registration endpoint answered 401 to a registration without an initial \
             access token: it seems protected; give a token and --registration-protected \
             (or registration_protected = true in the profile)",
        ),
        _ => None,
    }
}

/// Make a given token known to `redactor` from the start, so that an answer echoing it
/// anywhere (a configuration read, an error body) is redacted too; minted ones are added
/// as they are minted.
pub fn learn(ctx: &RunContext, redactor: &mut Redactor) {
    if let Some(Source::Token(t)) = &ctx.iat {
        redactor.add(t);
    }
}

/// One token for one registration, known to `redactor` before anything is recorded.
/// `Err` is the one-line reason the step cannot go on (an error, not a failure).
pub async fn mint(ctx: &RunContext, redactor: &mut Redactor) -> Result<String, String> {
    let Some(source) = &ctx.iat else {
        return Err(format!(
            "the step uses {{{{{VAR}}}}} but no initial access token was given \
             (--initial-access-token, {ENV} or --initial-access-token-command)"
        ));
    };
    let token = source.mint().await?;
    redactor.add(&token);
    Ok(token)
}

/// Put `token` on `req` as `Authorization: Bearer`.
pub fn authorize(req: &mut Request, token: &str) {
    req.headers
        .push(("authorization".into(), format!("Bearer {token}")));
}

/// Run the minting command with `sh -c` and take the one token it prints. Its output is
/// never shown, stderr included: it may hold the token or the credentials that got it.
async fn run_command(command: &str) -> Result<String, String> {
    const WHAT: &str = "--initial-access-token-command";
    let child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("{WHAT}: cannot start sh: {e}"))?;
    let output = tokio::time::timeout(COMMAND_TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| {
            format!(
                "{WHAT}: printed no token within {} s",
                COMMAND_TIMEOUT.as_secs()
            )
        })?
        .map_err(|e| format!("{WHAT}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{WHAT} failed ({}); its output is not shown, as it may hold a secret",
            output.status
        ));
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| format!("{WHAT} printed something that is not UTF-8 text"))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(format!("{WHAT} succeeded but printed no token on stdout"));
    }
    check_token(token).map_err(|e| format!("{WHAT}: {e}"))?;
    Ok(token.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block<T>(f: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn a_flag_wins_over_the_environment_and_an_empty_variable_is_unset() {
        let env = Some("from-env-123".to_string());
        assert_eq!(
            Source::from_args(Some("flag-123"), None, env.clone()).unwrap(),
            Some(Source::Token("flag-123".into()))
        );
        assert_eq!(
            Source::from_args(None, Some("echo x"), env.clone()).unwrap(),
            Some(Source::Command("echo x".into()))
        );
        assert_eq!(
            Source::from_args(None, None, env).unwrap(),
            Some(Source::Token("from-env-123".into()))
        );
        assert_eq!(
            Source::from_args(None, None, Some(String::new())).unwrap(),
            None
        );
        assert!(Source::from_args(Some("a"), Some("b"), None).is_err());
    }

    #[test]
    fn a_bad_token_is_refused_without_being_quoted() {
        let secret = "sec ret\nvalue";
        let err = Source::from_args(Some(secret), None, None).unwrap_err();
        assert!(!err.contains("sec"), "{err}");
        assert!(err.starts_with("--initial-access-token:"), "{err}");
        let err = Source::from_args(None, None, Some("x y".into())).unwrap_err();
        assert!(err.starts_with(ENV), "{err}");
        assert!(check_token("eyJhbGciOi.J9-_~+/x==").is_ok());
        assert!(check_token("===").is_err());
        assert!(format!("{:?}", Source::Token("topsecret".into())).contains("[redacted]"));
    }

    #[test]
    fn the_command_prints_one_token_or_the_step_errors_without_showing_output() {
        assert_eq!(
            block(run_command("printf 'tok-1\\n'")).unwrap(),
            "tok-1".to_string()
        );
        let err = block(run_command("echo leaked-secret; exit 3")).unwrap_err();
        assert!(err.contains("failed"), "{err}");
        assert!(!err.contains("leaked-secret"), "{err}");
        let err = block(run_command("true")).unwrap_err();
        assert!(err.contains("printed no token"), "{err}");
        let err = block(run_command("echo two words")).unwrap_err();
        assert!(!err.contains("two"), "{err}");
    }

    #[test]
    fn the_embedded_server_gets_the_given_token_or_a_minted_one() {
        assert_eq!(for_embedded(false, None).unwrap(), (None, None));
        let (server, run) = for_embedded(true, None).unwrap();
        let server = server.unwrap();
        assert_eq!(run, Some(Source::Token(server.clone())));
        let given = Source::Token("given-123".into());
        assert_eq!(
            for_embedded(true, Some(given.clone())).unwrap(),
            (Some("given-123".into()), Some(given))
        );
        assert!(for_embedded(true, Some(Source::Command("x".into()))).is_err());
    }
}
