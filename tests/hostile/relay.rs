//! A recording TCP relay (and plain-HTTP forward proxy) between dcrspec and a server:
//! what went over the wire, how many connections and requests, optionally slowed down.

use std::time::Duration;

use crate::support::runtime;

/// A TCP relay to one upstream address that records every byte in both directions and
/// can hold each chunk sent upstream for `delay` (a slow network, one request at a
/// time). Pointed to by `HTTP_PROXY` it is also a plain-HTTP forward proxy, since the
/// reference server accepts absolute-form request targets.
pub struct Relay {
    pub url: String,
    /// One byte stream per connection and direction, as seen.
    streams: std::sync::Arc<std::sync::Mutex<Vec<Stream>>>,
    pub connections: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    _rt: tokio::runtime::Runtime,
}

impl Relay {
    pub fn start(upstream: &str, delay: Duration) -> Relay {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::{Arc, Mutex};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        let upstream = upstream
            .trim_start_matches("http://")
            .trim_start_matches("https://")
            .to_string();
        let rt = runtime();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let streams: Arc<Mutex<Vec<Stream>>> = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let (l, c) = (streams.clone(), connections.clone());
        rt.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                c.fetch_add(1, Ordering::SeqCst);
                let Ok(server) = tokio::net::TcpStream::connect(&upstream).await else {
                    continue;
                };
                let (mut cr, mut cw) = client.into_split();
                let (mut sr, mut sw) = server.into_split();
                let (up, down) = (Stream::default(), Stream::default());
                l.lock().unwrap().extend([up.clone(), down.clone()]);
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 16 * 1024];
                    while let Ok(n) = cr.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        up.lock().unwrap().extend_from_slice(&buf[..n]);
                        if !delay.is_zero() {
                            tokio::time::sleep(delay).await;
                        }
                        if sw.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                    let _ = sw.shutdown().await;
                });
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 16 * 1024];
                    while let Ok(n) = sr.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        down.lock().unwrap().extend_from_slice(&buf[..n]);
                        if cw.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                    let _ = cw.shutdown().await;
                });
            }
        });
        Relay {
            url,
            streams,
            connections,
            _rt: rt,
        }
    }

    pub fn connections(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The traffic so far, as text: each connection's requests, then its responses.
    pub fn traffic(&self) -> String {
        let streams = self.streams.lock().unwrap();
        let mut all = Vec::new();
        for s in streams.iter() {
            all.extend_from_slice(&s.lock().unwrap());
            all.extend_from_slice(b"\r\n\r\n");
        }
        String::from_utf8_lossy(&all).into_owned()
    }
}

impl Relay {
    /// How many HTTP/1.1 requests went upstream, over every connection: each stream is
    /// read as requests in a row, each a head ending in a blank line and a body of its
    /// Content-Length (dcrspec sends no chunked bodies).
    pub fn requests(&self) -> usize {
        let streams = self.streams.lock().unwrap();
        // Streams come in (upstream, downstream) pairs, in that order.
        streams
            .iter()
            .step_by(2)
            .map(|s| count_requests(&s.lock().unwrap()))
            .sum()
    }
}

fn count_requests(mut bytes: &[u8]) -> usize {
    let mut n = 0;
    while let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
        let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        n += 1;
        bytes = &bytes[(end + 4 + length).min(bytes.len())..];
    }
    n
}

type Stream = std::sync::Arc<std::sync::Mutex<Vec<u8>>>;
