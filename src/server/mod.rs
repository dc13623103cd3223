//! (stub until the server module lands) The embedded reference server.
use std::collections::BTreeSet;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Ory,
    Rfc7592,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    Dummy,
}
#[derive(Debug, Clone, Default)]
pub struct Faults(pub BTreeSet<Fault>);
impl Faults {
    pub fn from_names(_n: &[&str]) -> Result<Faults, String> {
        Ok(Faults::default())
    }
}
pub struct ServerConfig {
    pub flavor: Flavor,
    pub enabled: bool,
    pub faults: Faults,
}
pub struct RunningServer;
impl RunningServer {
    pub fn base_url(&self) -> String {
        String::new()
    }
    pub fn client_count(&self) -> usize {
        0
    }
    pub async fn shutdown(self) {}
}
pub async fn start(_config: ServerConfig, _port: u16) -> std::io::Result<RunningServer> {
    Ok(RunningServer)
}
