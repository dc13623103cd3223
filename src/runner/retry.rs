//! Answers that are not verdicts: 429 Too Many Requests and 503 Service Unavailable say
//! nothing about conformance, only that the server (or a limiter in front of it) will not
//! judge the request now. Every request a scenario step, the cleanup or a fuzz case sends
//! goes through [`send`]: such an answer is retried, after the `Retry-After` the server
//! asks for (delta-seconds or an HTTP-date) when it is within [`MAX_WAIT`], else after a
//! short backoff, at most [`MAX_RETRIES`] times and never past the run's stop. Still
//! limited after that, the caller gets the reason (`rate limited (429 …)`) and errors the
//! scenario instead of judging the answer.

use std::time::{Duration, SystemTime};

use crate::http::{Http, Request, Response};

use super::stop::Stop;

/// Retries after the first answer, at most.
pub const MAX_RETRIES: u32 = 3;
/// The longest single wait: a `Retry-After` asking for more is not waited for.
pub const MAX_WAIT: Duration = Duration::from_secs(10);
/// The first wait when the answer has no usable `Retry-After`; doubled on each retry.
pub const BACKOFF: Duration = Duration::from_millis(500);

/// What sending a request came to, retries included.
#[derive(Debug)]
pub struct Sent {
    /// The last answer, or the transport error.
    pub result: Result<Response, String>,
    /// Requests that went out (1 + retries): every retry counts in the run's total.
    pub requests: usize,
    /// Still rate limited or unavailable: why, on one line. The answer is then not to
    /// be judged; the caller errors the scenario with this.
    pub limited: Option<String>,
}

/// Whether an answer with this status is a verdict at all.
pub fn is_limited(status: u16) -> bool {
    status == 429 || status == 503
}

/// Send `req`, again (identically: the request is rebuilt from the same bytes) while the
/// answer is 429 or 503, within the policy above.
pub async fn send(http: &Http, stop: &Stop, req: &Request) -> Sent {
    let mut requests = 0;
    let mut backoff = BACKOFF;
    loop {
        let result = http.send(req).await;
        requests += 1;
        let status = match &result {
            Ok(r) if is_limited(r.status) => r.status,
            _ => {
                return Sent {
                    result,
                    requests,
                    limited: None,
                };
            }
        };
        let asked = result
            .as_ref()
            .ok()
            .and_then(|r| retry_after(&r.headers, SystemTime::now()));
        let what = format!(
            "{} ({status} {})",
            if status == 429 {
                "rate limited"
            } else {
                "unavailable"
            },
            if status == 429 {
                "Too Many Requests"
            } else {
                "Service Unavailable"
            }
        );
        let give_up = |why: String| Sent {
            result: Ok(result.as_ref().expect("a status was read").clone()),
            requests,
            limited: Some(format!("{what}: {why}")),
        };
        if requests > MAX_RETRIES as usize {
            return give_up(format!("still so after {requests} tries"));
        }
        let wait = match asked {
            Some(w) if w > MAX_WAIT => {
                return give_up(format!(
                    "Retry-After asks for {} s, more than the {} s dcrspec waits",
                    w.as_secs(),
                    MAX_WAIT.as_secs()
                ));
            }
            Some(w) => w,
            None => backoff,
        };
        backoff *= 2;
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            reason = stop.stopped() => {
                return give_up(format!("{reason} while waiting to retry"));
            }
        }
    }
}

/// The wait a `Retry-After` header asks for (RFC 9110 §10.2.3): delta-seconds, or an
/// HTTP-date (a date in the past asks for none). `None` when absent or unreadable.
pub fn retry_after(headers: &[(String, String)], now: SystemTime) -> Option<Duration> {
    let value = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))?
        .1
        .trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Huge numbers saturate: they are more than any wait anyway.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn header(v: &str) -> Vec<(String, String)> {
        vec![("retry-after".to_string(), v.to_string())]
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // 06 Nov 1994 08:49:37
        assert_eq!(retry_after(&header("2"), now), Some(Duration::from_secs(2)));
        assert_eq!(retry_after(&header(" 0 "), now), Some(Duration::ZERO));
        assert_eq!(
            retry_after(&header("Sun, 06 Nov 1994 08:49:40 GMT"), now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            retry_after(&header("Sun, 06 Nov 1994 08:49:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            retry_after(&header("99999999999999999999999"), now),
            Some(Duration::from_secs(u64::MAX))
        );
        for bad in ["", "-1", "1.5", "soon"] {
            assert_eq!(retry_after(&header(bad), now), None, "{bad}");
        }
        assert_eq!(retry_after(&[], now), None);
    }

    /// A server that answers `limited` with 429 (and `retry_after`, if any) `times`
    /// times, then 200; it counts the requests and keeps the bodies it was sent.
    async fn limiter(
        times: usize,
        status: u16,
        retry_after: Option<&'static str>,
    ) -> (
        String,
        Arc<AtomicUsize>,
        Arc<std::sync::Mutex<Vec<Vec<u8>>>>,
    ) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/x", listener.local_addr().unwrap());
        let count = Arc::new(AtomicUsize::new(0));
        let bodies = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (c, b) = (count.clone(), bodies.clone());
        tokio::spawn(async move {
            loop {
                let (mut s, _) = listener.accept().await.unwrap();
                let mut buf = vec![0u8; 4096];
                let n = s.read(&mut buf).await.unwrap();
                let text = &buf[..n];
                let split = text.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                b.lock().unwrap().push(text[split..].to_vec());
                let seen = c.fetch_add(1, Ordering::SeqCst);
                let head = if seen < times {
                    let extra = retry_after
                        .map(|v| format!("retry-after: {v}\r\n"))
                        .unwrap_or_default();
                    format!("HTTP/1.1 {status} No\r\n{extra}content-length: 0\r\n")
                } else {
                    "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n".to_string()
                };
                let out = format!("{head}connection: close\r\n\r\n");
                s.write_all(out.as_bytes()).await.unwrap();
            }
        });
        (url, count, bodies)
    }

    fn post(url: &str) -> Request {
        Request {
            method: "POST".into(),
            url: url.into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: Some(b"{\"a\":1}".to_vec()),
        }
    }

    #[tokio::test]
    async fn a_short_retry_after_is_honoured_and_the_body_resent() {
        let (url, count, bodies) = limiter(2, 429, Some("0")).await;
        let http = Http::new(Default::default()).unwrap();
        let sent = send(&http, &Stop::default(), &post(&url)).await;
        assert_eq!(sent.result.unwrap().status, 200);
        assert_eq!((sent.requests, sent.limited), (3, None));
        assert_eq!(count.load(Ordering::SeqCst), 3);
        assert!(bodies.lock().unwrap().iter().all(|b| b == b"{\"a\":1}"));
    }

    #[tokio::test]
    async fn without_retry_after_it_backs_off_then_gives_up() {
        let (url, count, _) = limiter(usize::MAX, 503, None).await;
        let http = Http::new(Default::default()).unwrap();
        let started = std::time::Instant::now();
        let sent = send(&http, &Stop::default(), &post(&url)).await;
        // 0.5 + 1 + 2 s of backoff.
        assert!(started.elapsed() >= Duration::from_millis(3500));
        assert_eq!(sent.result.unwrap().status, 503);
        assert_eq!(sent.requests, 4);
        assert_eq!(count.load(Ordering::SeqCst), 4);
        let why = sent.limited.unwrap();
        assert_eq!(
            why,
            "unavailable (503 Service Unavailable): still so after 4 tries"
        );
    }

    #[tokio::test]
    async fn a_long_retry_after_or_a_stop_ends_the_wait() {
        let (url, count, _) = limiter(usize::MAX, 429, Some("3600")).await;
        let http = Http::new(Default::default()).unwrap();
        let sent = send(&http, &Stop::default(), &post(&url)).await;
        assert_eq!(
            sent.limited.as_deref(),
            Some(
                "rate limited (429 Too Many Requests): Retry-After asks for 3600 s, \
                 more than the 10 s dcrspec waits"
            )
        );
        assert_eq!((sent.requests, count.load(Ordering::SeqCst)), (1, 1));

        let (url, _, _) = limiter(usize::MAX, 429, Some("5")).await;
        let stop = Stop::default();
        let trigger = stop.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            trigger.trigger(super::super::stop::StopReason::Signal("SIGINT"));
        });
        let started = std::time::Instant::now();
        let sent = send(&http, &stop, &post(&url)).await;
        assert!(started.elapsed() < Duration::from_secs(4));
        let why = sent.limited.unwrap();
        assert!(
            why.starts_with("rate limited (429 Too Many Requests): interrupted (SIGINT)"),
            "{why}"
        );

        // Any other status is the answer, at once.
        let (url, count, _) = limiter(0, 429, None).await;
        let sent = send(&http, &Stop::default(), &post(&url)).await;
        assert_eq!((sent.requests, sent.limited), (1, None));
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }
}
